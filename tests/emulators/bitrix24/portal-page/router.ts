import { fileURLToPath } from 'node:url';
import express, { type Request, type Router } from 'express';
import { appPage } from './app-page.ts';
import {
	type ContactCardData,
	contactCardPage,
	crmCards,
	type EntityCardData,
	entityCardPage,
} from './contact-card-page.ts';
import { createFakeFrameAuthProvider } from './fake-auth-provider.ts';
import { contactCardScriptFile, frameProtocolScriptFile } from './frame-protocol.ts';
import { clientLayoutConfig, portalEndpoints } from './layout-config.ts';
import { type AppLayout, LayoutStore } from './layout-store.ts';
import { type PortalMessage, PortalMessageLog } from './message-log.ts';
import { findB24JsSdkBundle } from './sdk-bundle.ts';
import { type LaunchRequest, testAppPage, testAppPaths, testAppScriptFile } from './test-app-page.ts';
import type { FrameAuthProvider, PortalAppHandler, PortalHandlerResolver } from './types.ts';

export interface Bitrix24PortalPageOptions {
	/** Issues the frame tokens; default: random tokens no REST server knows (see fake-auth-provider.ts). */
	auth?: FrameAuthProvider;
	/** Apps shown for a placement; default: the built-in test app for every placement. */
	handlers?: PortalHandlerResolver;
	/** The signed-in portal user; a page's `?user_id=` overrides it. Default 1. */
	userId?: number;
	/** LANG of the launch and of getInitData. Default `en`. */
	lang?: string;
	/** IS_ADMIN. Default true. */
	isAdmin?: boolean;
	/** FIRST_RUN on each app's first layout for a user (the SDK then sends setInstall). Default false. */
	firstRun?: boolean;
	/** INSTALL: the app is opened as its installer and may call installFinish. Default false. */
	install?: boolean;
	/** The card's contact fields; default a fixed sample contact with the requested ID. */
	contact?: (id: string) => ContactCardData | Promise<ContactCardData>;
	/** A deal or lead card's title and fields; default a fixed sample with the requested ID. */
	card?: (entity: 'deal' | 'lead', id: string) => EntityCardData | Promise<EntityCardData>;
	/** Called when an app calls installFinish (the portal marks the app installed). */
	onInstallFinish?: (appId: string, installed: boolean) => void | Promise<void>;
	/** Browser build of b24jssdk for the test app; default: found in node_modules. */
	sdkBundlePath?: string;
}

/** The emulated portal pages: mount `router` on any express app; the logs are for tests. */
export interface Bitrix24PortalPage {
	readonly router: Router;
	/** Every postMessage the pages received, with what they answered. */
	readonly messages: PortalMessageLog;
	/** Every request the built-in test app received from a launch form. */
	readonly launches: readonly LaunchRequest[];
	readonly layouts: LayoutStore;
}

export const testAppId = 'nitka-test-app';

/** The built-in test app, served from the sibling loopback name so it is cross-origin as a real app is. */
export const testAppHandlers: PortalHandlerResolver = (_placement, { portalOrigin }) => [
	{ appId: testAppId, title: 'Nitka test app', url: testAppUrl(portalOrigin) },
];

/** The test app's URL for a portal origin: same server, the other loopback name, so a different origin. */
export function testAppUrl(portalOrigin: string): string {
	const url = new URL(portalOrigin);
	url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
	url.pathname = testAppPaths.page;
	return url.href;
}

const sampleCard = (entity: 'deal' | 'lead', id: string): EntityCardData => ({
	id,
	title: entity === 'deal' ? `Deal #${id}` : `Lead #${id}`,
});

const sampleContact = (id: string): ContactCardData => ({
	id,
	name: 'Ivan Petrov',
	phone: '+7 900 000-00-00',
	email: 'ivan@example.test',
});

export function createBitrix24PortalPage(options: Bitrix24PortalPageOptions = {}): Bitrix24PortalPage {
	const auth = options.auth ?? createFakeFrameAuthProvider();
	const handlers = options.handlers ?? testAppHandlers;
	const messages = new PortalMessageLog();
	const launches: LaunchRequest[] = [];
	const layouts = new LayoutStore();
	const seen = new Set<string>();
	const router = express.Router();
	router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: true, limit: '1mb' }));

	const openLayout = async (
		req: Request,
		handler: PortalAppHandler,
		placement: string,
		placementOptions: Record<string, string> | null,
	) => {
		const userId = Number(req.query.user_id) || options.userId || 1;
		const firstKey = `${handler.appId}/${userId}`;
		const firstRun = (options.firstRun ?? false) && !seen.has(firstKey);
		seen.add(firstKey);
		const grant = await auth({ appId: handler.appId, userId, placement });
		const layout = layouts.add({
			appId: handler.appId,
			userId,
			placement,
			placementOptions,
			handlerUrl: handler.url,
			appOrigin: new URL(handler.url).origin,
			portalHost: req.get('host') ?? '127.0.0.1',
			protocol: req.secure ? 1 : 0,
			lang: grant.launch?.lang ?? options.lang ?? 'en',
			auth: grant,
			isAdmin: grant.launch?.isAdmin ?? options.isAdmin ?? true,
			firstRun: grant.launch?.firstRun ?? firstRun,
			install: grant.launch?.install ?? options.install ?? false,
		});
		const config = clientLayoutConfig(layout, {
			appOptions: layouts.appOptions(layout.appId),
			userOptions: layouts.userOptions(layout.appId, userId),
		});
		return { layout, config, title: handler.title };
	};

	const portalOrigin = (req: Request) => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;

	/** The layouts of the apps bound to a card's detail-tab placement, as the portal opens them. */
	const cardLayouts = async (req: Request, placement: string) => {
		const found = await handlers(placement, { portalOrigin: portalOrigin(req) });
		// Options carry the ID as a string and the card's URI, never the entity type (research §6.1).
		const placementOptions = { ID: String(req.params.id), URI: req.originalUrl };
		return await Promise.all(found.map((handler) => openLayout(req, handler, placement, placementOptions)));
	};

	router.get('/crm/contact/details/:id/', async (req, res) => {
		const id = String(req.params.id);
		const opened = await cardLayouts(req, crmCards.contact.placement);
		const contact = await (options.contact ?? sampleContact)(id);
		res.type('html').send(contactCardPage({ portalHost: req.get('host') ?? '', contact, layouts: opened }));
	});

	for (const entity of ['deal', 'lead'] as const) {
		router.get(`/crm/${entity}/details/:id/`, async (req, res) => {
			const id = String(req.params.id);
			const opened = await cardLayouts(req, crmCards[entity].placement);
			const card = await (options.card ?? sampleCard)(entity, id);
			res
				.type('html')
				.send(entityCardPage({ portalHost: req.get('host') ?? '', entity, card, layouts: opened }));
		});
	}

	router.get('/marketplace/app/:appId/', async (req, res) => {
		const appId = String(req.params.appId);
		const found = await handlers('DEFAULT', { portalOrigin: portalOrigin(req), appId });
		const handler = found.find((candidate) => candidate.appId === appId);
		if (!handler) {
			res.status(404).type('text').send(`No application ${appId} on this portal`);
			return;
		}
		const { layout, config, title } = await openLayout(req, handler, 'DEFAULT', null);
		res.type('html').send(appPage({ portalHost: req.get('host') ?? '', title, layout, config }));
	});

	const layoutOf = (sid: unknown): AppLayout | undefined =>
		typeof sid === 'string' ? layouts.get(sid) : undefined;

	router.post(portalEndpoints.messages, (req, res) => {
		const entry = req.body as PortalMessage;
		if (typeof entry?.outcome !== 'string') {
			res.status(400).json({ error: 'not a portal message record' });
			return;
		}
		messages.record(entry);
		res.json({ result: true });
	});

	router.get(portalEndpoints.messages, (_req, res) => {
		res.json(messages.all());
	});

	router.post(portalEndpoints.refreshAuth, async (req, res) => {
		const layout = layoutOf((req.body as { sid?: unknown }).sid);
		if (!layout) {
			res.status(404).json({ error: 'unknown APP_SID' });
			return;
		}
		layout.auth = await auth({ appId: layout.appId, userId: layout.userId, placement: layout.placement });
		const { access_token, refresh_token, expires_in } = layout.auth;
		res.json({ access_token, refresh_token, expires_in });
	});

	router.post(portalEndpoints.installFinish, async (req, res) => {
		const body = req.body as { sid?: unknown; value?: unknown };
		const layout = layoutOf(body.sid);
		if (!layout) {
			res.status(404).json({ error: 'unknown APP_SID' });
			return;
		}
		await options.onInstallFinish?.(layout.appId, body.value !== false);
		res.json({ result: true });
	});

	router.post(portalEndpoints.options, (req, res) => {
		const body = req.body as { sid?: unknown; scope?: unknown; name?: unknown; value?: unknown };
		const layout = layoutOf(body.sid);
		if (!layout || typeof body.name !== 'string') {
			res.status(400).json({ error: 'unknown APP_SID or option name' });
			return;
		}
		if (body.scope === 'app') layouts.setAppOption(layout.appId, body.name, body.value);
		else layouts.setUserOption(layout.appId, layout.userId, body.name, body.value);
		res.json({ result: true });
	});

	router.get(portalEndpoints.script, (_req, res) => {
		res.type('js').sendFile(fileURLToPath(frameProtocolScriptFile));
	});
	router.get(portalEndpoints.tabsScript, (_req, res) => {
		res.type('js').sendFile(fileURLToPath(contactCardScriptFile));
	});

	// The app handler is hit by the launch form POST (GET too, as when a URL is opened directly).
	router.all(testAppPaths.page, (req, res) => {
		const launch: LaunchRequest = {
			method: req.method,
			query: req.query as Record<string, unknown>,
			body: (req.body ?? {}) as Record<string, unknown>,
			at: Date.now(),
		};
		launches.push(launch);
		res.type('html').send(testAppPage(launch));
	});
	router.get(testAppPaths.script, (_req, res) => {
		res.type('js').sendFile(fileURLToPath(testAppScriptFile));
	});
	router.get(testAppPaths.sdk, (_req, res) => {
		const bundle = options.sdkBundlePath ?? findB24JsSdkBundle();
		if (!bundle) {
			res.status(500).type('text').send('@bitrix24/b24jssdk is not installed');
			return;
		}
		res.type('js').sendFile(bundle);
	});

	return { router, messages, launches, layouts };
}
