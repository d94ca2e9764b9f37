import {
	type Clock,
	createEmulatorBase,
	FaultInjector,
	listen,
	type RunningEmulator,
	systemClock,
} from '../kit/index.ts';
import { crmDeleteContact, crmMergeContacts } from './crm-helpers.ts';
import { CrmStore } from './crm-store.ts';
import type { FrameAuth, InstallResult, OperatorReply, Portal } from './emulator-types.ts';
import { EventDispatcher } from './events.ts';
import {
	frameAuth,
	installEventPayload,
	newApplicationToken,
	newAppSid,
	pageForm,
	pageUrl,
	postPage,
	uninstallEventPayload,
} from './install.ts';
import type { InvokeDeps } from './invoke.ts';
import { defaultLimits, type LimitOptions, PortalLimiter } from './limiter.ts';
import { methodRegistry } from './method-registry.ts';
import { OAuthServer } from './oauth.ts';
import { operatorReply } from './open-lines.ts';
import {
	type AppDefinition,
	createIdSequence,
	type PortalState,
	type PortalUser,
	randomHex,
} from './portal-state.ts';
import { mountRest } from './rest-router.ts';

export interface PortalOptions {
	language?: string;
	/** Minutes east of UTC; default 180 (Moscow). */
	offsetMinutes?: number;
	users?: PortalUser[];
}

export interface Bitrix24EmulatorOptions {
	/** One entry per portal to host (default: one portal). */
	portals?: PortalOptions[];
	clock?: Clock;
	limits?: Partial<LimitOptions>;
	/** Simulated seconds each call of a method costs against the operating budget (default 0). */
	methodCost?: (method: string) => number;
	apps?: AppDefinition[];
}

export interface Bitrix24Emulator {
	/** The first portal's base URL, e.g. `http://127.0.0.1:41234`. */
	readonly url: string;
	/** The OAuth server's base URL; `server_endpoint` is `${oauthUrl}/rest/`. */
	readonly oauthUrl: string;
	readonly portals: readonly Portal[];
	readonly clock: Clock;
	/** Faults for REST (matched on the lower-case method name) and events (on the upper-case event name). */
	readonly faults: FaultInjector;
	readonly oauth: OAuthServer;
	readonly events: EventDispatcher;
	/** A portal by domain (`127.0.0.1:PORT`), or the first one. */
	portal(domain?: string): Portal;
	defineApp(app: AppDefinition): AppDefinition;
	/** Installs an app: the install page POST (UI apps) and ONAPPINSTALL (apps with an install event URL). */
	installApp(appId: string, options?: { domain?: string; userId?: number }): Promise<InstallResult>;
	/** What `installFinish` does on the portal: events and placements start working. */
	finishInstall(appId: string, domain?: string): void;
	/** Uninstalls: tokens revoked, handlers/placements/connectors removed, ONAPPUNINSTALL sent (research §1.3). */
	uninstallApp(appId: string, options?: { domain?: string; clean?: boolean }): Promise<void>;
	/** A valid frame auth for an installed app (for the portal page's `getInitData` / `refreshAuth`). */
	issueFrameAuth(appId: string, userId?: number, domain?: string): FrameAuth;
	/**
	 * `issueFrameAuth` in the snake_case shape of the portal page's `FrameAuthProvider`
	 * (`portal-page/types.ts`), so the page can mint tokens that are valid for this REST.
	 */
	frameAuthProvider(domain?: string): (request: { appId: string; userId: number }) => {
		access_token: string;
		refresh_token: string;
		expires_in: number;
		member_id: string;
		domain: string;
		server_endpoint: string;
		application_token: string;
		scope: string;
		status: string;
	};
	/** Opens a placement as a user would: the widget form POST to the bound handler. */
	openPlacement(
		appId: string,
		placement: string,
		placementOptions: Record<string, unknown>,
		options?: { domain?: string; userId?: number },
	): Promise<{ url: string; body: string; status?: number; error?: string; text?: string }>;
	/** An operator answers in an open line: ONIMCONNECTORMESSAGEADD to the connector app's handlers. */
	replyAsOperator(reply: OperatorReply): Promise<{ chatId: number; messageId: number }>;
	/** Deletes a CRM contact as a user would (fires ONCRMCONTACTDELETE). */
	deleteContact(id: number, domain?: string): Promise<void>;
	/** Merges `dropId` into `keepId` (ONCRMCONTACTUPDATE for the kept, ONCRMCONTACTDELETE for the dropped). */
	mergeContacts(keepId: number, dropId: number, domain?: string): Promise<void>;
	/** An inbound webhook URL `{url}/rest/{userId}/{secret}/`. */
	createWebhook(userId: number, scope: string, domain?: string): string;
	/** Resolves when every event delivery started so far has finished. */
	settled(): Promise<void>;
	close(): Promise<void>;
}

const defaultUsers: PortalUser[] = [
	{
		ID: 1,
		NAME: 'Anna',
		LAST_NAME: 'Admin',
		EMAIL: 'admin@example.ru',
		ADMIN: true,
		LANGUAGE_ID: 'ru',
		TIME_ZONE: 'Europe/Moscow',
	},
	{
		ID: 27,
		NAME: 'Klaus',
		LAST_NAME: 'Weber',
		EMAIL: 'operator@example.ru',
		ADMIN: false,
		LANGUAGE_ID: 'ru',
		TIME_ZONE: 'Europe/Moscow',
	},
];

/** Starts the OAuth server and the portals on loopback ports. */
export async function startBitrix24Emulator(
	options: Bitrix24EmulatorOptions = {},
): Promise<Bitrix24Emulator> {
	const clock = options.clock ?? systemClock;
	const faults = new FaultInjector();
	const apps = new Map<string, AppDefinition>();
	for (const app of options.apps ?? []) apps.set(app.clientId, app);
	const portalsByDomain = new Map<string, Portal>();
	const findApp = (id: string) => apps.get(id);
	const oauth = new OAuthServer({
		clock,
		app: findApp,
		portal: (domain) => portalsByDomain.get(domain)?.state,
	});
	const events = new EventDispatcher({ clock, faults, oauth, app: findApp });
	const deps: InvokeDeps = {
		clock,
		oauth,
		events,
		faults,
		methods: methodRegistry,
		app: findApp,
		methodCost: options.methodCost ?? (() => 0),
	};
	const running: RunningEmulator[] = [];

	const oauthBase = createEmulatorBase();
	oauth.mount(oauthBase.app);
	const oauthServer = await listen(oauthBase.app);
	running.push(oauthServer);
	oauth.url = oauthServer.url;

	const portals: Portal[] = [];
	for (const portalOptions of options.portals ?? [{}]) {
		const base = createEmulatorBase();
		const server = await listen(base.app);
		running.push(server);
		const domain = server.url.replace(/^http:\/\//, '');
		const nextId = createIdSequence();
		const users = portalOptions.users ?? defaultUsers;
		const state: PortalState = {
			domain,
			memberId: randomHex(16),
			url: server.url,
			clientEndpoint: `${server.url}/rest/`,
			language: portalOptions.language ?? 'ru',
			offsetMinutes: portalOptions.offsetMinutes ?? 180,
			users: new Map(users.map((u) => [u.ID, u])),
			installs: new Map(),
			crm: new CrmStore(nextId),
			events: [],
			placements: [],
			connectors: new Map(),
			openLines: [{ ID: 1, LINE_NAME: 'Open line', ACTIVE: 'Y', QUEUE: [1] }],
			chats: [],
			messages: [],
			webhooks: [],
			nextId,
		};
		const limiter = new PortalLimiter({ ...defaultLimits, ...options.limits }, clock);
		mountRest(base.app, deps, state, limiter);
		const portal: Portal = { state, app: base.app, requests: base.requests, limiter };
		portals.push(portal);
		portalsByDomain.set(domain, portal);
	}

	const portalOf = (domain?: string): Portal => {
		const portal = domain === undefined ? portals[0] : portalsByDomain.get(domain);
		if (!portal) throw new Error(`no portal ${domain ?? '(default)'}`);
		return portal;
	};
	const appOf = (appId: string): AppDefinition => {
		const app = apps.get(appId);
		if (!app) throw new Error(`unknown app ${appId}: call defineApp first`);
		return app;
	};
	const adminOf = (state: PortalState) => [...state.users.values()].find((u) => u.ADMIN)?.ID ?? 1;

	const emulator: Bitrix24Emulator = {
		url: portals[0]?.state.url ?? '',
		oauthUrl: oauth.url,
		portals,
		clock,
		faults,
		oauth,
		events,
		portal: portalOf,
		defineApp(app) {
			apps.set(app.clientId, app);
			return app;
		},
		async installApp(appId, installOptions = {}) {
			const app = appOf(appId);
			const { state } = portalOf(installOptions.domain);
			const userId = installOptions.userId ?? adminOf(state);
			const existing = state.installs.get(appId);
			state.installs.set(appId, {
				appId,
				applicationToken: existing?.applicationToken ?? newApplicationToken(),
				appSid: newAppSid(),
				// An app without UI is finished at once; a UI app waits for installFinish (research §1.1).
				installed: !app.hasUi,
				installedBy: userId,
				options: existing?.options ?? {},
			});
			const auth = frameAuth(oauth, state, app, userId);
			const install = state.installs.get(appId)!;
			const result: InstallResult = {
				appId,
				domain: state.domain,
				memberId: state.memberId,
				applicationToken: install.applicationToken,
				auth,
			};
			if (app.hasUi && app.handlerUrl) {
				result.page = await postPage(pageUrl(app.handlerUrl, auth), pageForm(auth, 'DEFAULT'));
			}
			if (app.installEventUrl) {
				result.installEvent = await events.send(
					state,
					appId,
					app.installEventUrl,
					installEventPayload(events, state, app, userId, clock.now()),
				);
			}
			return result;
		},
		finishInstall(appId, domain) {
			const install = portalOf(domain).state.installs.get(appId);
			if (!install) throw new Error(`app ${appId} is not installed`);
			install.installed = true;
		},
		async uninstallApp(appId, uninstallOptions = {}) {
			const app = appOf(appId);
			const { state } = portalOf(uninstallOptions.domain);
			if (!state.installs.has(appId)) return;
			const handlers = state.events.filter((b) => b.appId === appId && b.event === 'ONAPPUNINSTALL');
			const payload = uninstallEventPayload(events, state, app, uninstallOptions.clean ?? false, clock.now());
			oauth.revoke(state.domain, appId);
			state.events = state.events.filter((b) => b.appId !== appId);
			state.placements = state.placements.filter((p) => p.appId !== appId);
			for (const [id, connector] of state.connectors)
				if (connector.appId === appId) state.connectors.delete(id);
			state.installs.delete(appId);
			await Promise.all(
				handlers.map((binding) =>
					events.send(state, appId, binding.handler, { ...payload, event_handler_id: binding.id }),
				),
			);
		},
		issueFrameAuth(appId, userId, domain) {
			const { state } = portalOf(domain);
			return frameAuth(oauth, state, appOf(appId), userId ?? adminOf(state));
		},
		frameAuthProvider(domain) {
			return ({ appId, userId }) => {
				const auth = emulator.issueFrameAuth(appId, userId, domain);
				return {
					access_token: auth.accessToken,
					refresh_token: auth.refreshToken,
					expires_in: auth.expiresIn,
					member_id: auth.memberId,
					domain: auth.domain,
					server_endpoint: auth.serverEndpoint,
					application_token: auth.applicationToken,
					scope: auth.scope,
					status: auth.status,
				};
			};
		},
		async openPlacement(appId, placement, placementOptions, openOptions = {}) {
			const { state } = portalOf(openOptions.domain);
			const code = placement.toUpperCase();
			const binding = state.placements.find((p) => p.appId === appId && p.placement === code);
			if (!binding) throw new Error(`app ${appId} has no ${code} placement on ${state.domain}`);
			if (!state.installs.get(appId)?.installed) throw new Error(`app ${appId} install is not finished`);
			const auth = frameAuth(oauth, state, appOf(appId), openOptions.userId ?? adminOf(state));
			return await postPage(pageUrl(binding.handler, auth), pageForm(auth, code, placementOptions));
		},
		async replyAsOperator(reply) {
			const { state } = portalOf(reply.domain);
			return await operatorReply(state, events, clock, reply, adminOf(state));
		},
		async deleteContact(id, domain) {
			const { state } = portalOf(domain);
			await crmDeleteContact(state, events, id);
		},
		async mergeContacts(keepId, dropId, domain) {
			const { state } = portalOf(domain);
			await crmMergeContacts(state, events, clock, keepId, dropId);
		},
		createWebhook(userId, scope, domain) {
			const { state } = portalOf(domain);
			const secret = randomHex(8);
			state.webhooks.push({ userId, secret, scope });
			return `${state.url}/rest/${userId}/${secret}/`;
		},
		settled: () => events.settled(),
		async close() {
			await events.settled();
			await Promise.all(running.map((server) => server.close()));
		},
	};
	return emulator;
}
