import { z } from 'zod';
import type { HostIntake } from '../../core/ports/host-intake.ts';
import type { HostLinks } from '../../core/ports/host-links.ts';
import type { HostLocks } from '../../core/ports/host-locks.ts';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import type { ReturnTickets } from '../../core/ports/returns.ts';
import type { SessionTokens } from '../../security/session-tokens.ts';
import { createBackfill, type OrderPages } from './backfill.ts';
import { createClientPool } from './client-pool.ts';
import { createContactSweep, type LinkedContacts } from './contact-sweep.ts';
import { type EntityType, resolveEntityCustomer } from './entities.ts';
import { bitrix24EventMapper } from './event-mapper.ts';
import { createEventIntake } from './events.ts';
import { createBitrix24Handlers } from './handlers.ts';
import { installPortal, isLocalConnector, parseInstall } from './install.ts';
import { createReconciler } from './reconcile.ts';
import type { PortalLimits } from './rest-client.ts';
import { bindReturnEvents, createReturnPoll } from './returns.ts';
import { type Bitrix24Settings, Bitrix24SettingsSchema, OpenLineSchema } from './schemas.ts';
import { createSession, type FrameAuth } from './session.ts';
import { CONNECTOR_ID } from './setup.ts';
import { createTokenBroker } from './token-broker.ts';

export interface Bitrix24Options {
	/** The app's client_id / client_secret from the partner account. */
	clientId: string;
	clientSecret: string;
	/** The marketplace app code (`vendor.app`) that `app.info` returns as CODE, when it is not the client_id. */
	appCode?: string | undefined;
	/** The bitrix-app page the CRM tabs and the connector's settings open. */
	appUrl: string;
	/** Base URL the portal posts events to (the connector's public URL). */
	publicUrl: string;
	/** Bitrix24's limits; tests and the bench scale them with the emulator's. */
	limits?: PortalLimits;
	/**
	 * OAuth servers installs may name (default: the official two). A connector without a public URL,
	 * or with a loopback one (development, the emulator), also accepts loopback portals and servers.
	 */
	allowedServerEndpoints?: readonly string[];
	/** How often offline events are drained (ms); 0 disables. */
	reconcileMs?: number;
	/** How often linked contacts are checked against the portal (ms; default hourly); 0 disables. */
	contactSweepMs?: number;
	/** The built bitrix-app served at `/bitrix24/app/` (default: the repository's `bitrix-app/dist`). */
	appDist?: string;
	/** How often open return tickets are read again (ms; default 5 minutes); 0 disables. */
	returnsPollMs?: number;
}

export interface Bitrix24Deps {
	store: HostPortalStore;
	locks: HostLocks;
	links: HostLinks;
	intake: HostIntake;
	sessions: SessionTokens;
	now: () => number;
	onError: (error: unknown) => void;
	/** The tenant's stored orders, for the deal backfill (absent: the backfill answers 503). */
	orders?: OrderPages;
	/** The tenant's linked contact ids, for the contact sweep (absent: no sweep). */
	linkedContacts?: LinkedContacts;
	/** Journey 3's returns: tickets for return requests (absent: none). */
	returns?: ReturnTickets;
}

export const BITRIX24_DEFAULT_LIMITS: PortalLimits = { burst: 50, drainPerSecond: 2 };

/** Everything the Bitrix24 host adds to the server, built once by the composition root. */
export function createBitrix24Runtime(options: Bitrix24Options, deps: Bitrix24Deps) {
	const limits = options.limits ?? BITRIX24_DEFAULT_LIMITS;
	const app = { clientId: options.clientId, clientSecret: options.clientSecret };
	const broker = createTokenBrokerFor(options, deps);
	const pool = createClientPool({ store: deps.store, broker, limits, app });
	const urls = { events: `${options.publicUrl}/hosts/bitrix24/events`, app: options.appUrl };
	const installPolicy = { allowLoopback: isLocalConnector(options.publicUrl) };
	const events = createEventIntake({
		store: deps.store,
		intake: deps.intake,
		now: deps.now,
		onUninstall: (t) => pool.evict(t),
	});
	const reconciler = createReconciler({ store: deps.store, pool, events, onError: deps.onError });
	let timer: NodeJS.Timeout | undefined;
	let sweepTimer: NodeJS.Timeout | undefined;
	let returnsTimer: NodeJS.Timeout | undefined;
	const returnPoll = deps.returns
		? createReturnPoll({
				pool,
				links: deps.links,
				returns: deps.returns,
				store: deps.store,
				onError: deps.onError,
			})
		: undefined;

	const settingsOf = async (tenantId: string): Promise<Bitrix24Settings> =>
		Bitrix24SettingsSchema.parse((await deps.store.byTenant(tenantId))?.settings ?? {});
	const backfill = deps.orders
		? createBackfill({
				pool,
				links: deps.links,
				locks: deps.locks,
				orders: deps.orders,
				settings: settingsOf,
				limits,
				now: deps.now,
				onError: deps.onError,
			})
		: undefined;
	const sweep = deps.linkedContacts
		? createContactSweep({
				store: deps.store,
				pool,
				links: deps.links,
				linked: deps.linkedContacts,
				onError: deps.onError,
			})
		: undefined;

	return {
		mapper: bitrix24EventMapper,
		outboxHandlers: createBitrix24Handlers({
			pool,
			store: deps.store,
			links: deps.links,
			intake: deps.intake,
			limits,
			now: deps.now,
			returns: deps.returns,
		}),
		pool,
		returnPoll,
		/** Binds the ticket events (task and deal updates) on the tenant's portal, once returns are set up. */
		async bindReturnEvents(tenantId: string) {
			await bindReturnEvents(await pool.forTenant(tenantId), urls.events);
		},
		reconciler,
		backfill,
		sweep,
		appDist: options.appDist,
		install: async (rawBody: string, query: Record<string, unknown>) =>
			await installPortal(
				{
					store: deps.store,
					pool,
					clientId: options.clientId,
					appCode: options.appCode,
					clientSecret: options.clientSecret,
					allowedServerEndpoints: options.allowedServerEndpoints,
					policy: installPolicy,
					urls,
					now: deps.now,
				},
				parseInstall(rawBody, query, deps.now(), installPolicy),
			),
		handleEvent: (rawBody: string) => events.handle(rawBody),
		session: (frame: FrameAuth) =>
			createSession(
				{
					store: deps.store,
					sessions: deps.sessions,
					clientId: options.clientId,
					appCode: options.appCode,
					pool,
					limits,
				},
				frame,
			),
		async customerOfEntity(tenantId: string, type: EntityType, id: string) {
			return await resolveEntityCustomer(await pool.forTenant(tenantId), deps.links, type, id);
		},
		settings: settingsOf,
		/** Saves the admin's choices; a newly picked open line is activated for our connector. */
		async saveSettings(tenantId: string, next: Bitrix24Settings) {
			const before = await settingsOf(tenantId);
			if (next.openLineId && next.openLineId !== before.openLineId) {
				const client = await pool.forTenant(tenantId);
				await client.call(
					'imconnector.activate',
					{ CONNECTOR: CONNECTOR_ID, LINE: next.openLineId, ACTIVE: 1 },
					z.unknown(),
				);
				await client.call(
					'imconnector.connector.data.set',
					{
						CONNECTOR: CONNECTOR_ID,
						LINE: next.openLineId,
						DATA: { ID: `nitka-${tenantId}`, NAME: 'Nitka', URL: options.appUrl },
					},
					z.unknown(),
				);
			}
			const portal = await deps.store.byTenant(tenantId);
			await deps.store.saveSettings(tenantId, { ...(portal?.settings ?? {}), ...next });
			return next;
		},
		async openLines(tenantId: string) {
			const client = await pool.forTenant(tenantId);
			return await client.call('imopenlines.config.list.get', {}, z.array(OpenLineSchema));
		},
		start() {
			const every = options.reconcileMs ?? 60_000;
			if (every > 0 && !timer) {
				timer = setInterval(() => void reconciler.runOnce().catch(deps.onError), every);
				timer.unref();
			}
			const sweepEvery = options.contactSweepMs ?? 3_600_000;
			if (sweep && sweepEvery > 0 && !sweepTimer) {
				sweepTimer = setInterval(() => void sweep.runOnce().catch(deps.onError), sweepEvery);
				sweepTimer.unref();
			}
			const returnsEvery = options.returnsPollMs ?? 300_000;
			if (returnPoll && returnsEvery > 0 && !returnsTimer) {
				returnsTimer = setInterval(() => void returnPoll.runOnce().catch(deps.onError), returnsEvery);
				returnsTimer.unref();
			}
		},
		stop() {
			clearInterval(timer);
			clearInterval(sweepTimer);
			clearInterval(returnsTimer);
			returnsTimer = undefined;
			timer = undefined;
			sweepTimer = undefined;
		},
	};
}

function createTokenBrokerFor(options: Bitrix24Options, deps: Bitrix24Deps) {
	return createTokenBroker({
		store: deps.store,
		locks: deps.locks,
		clientId: options.clientId,
		clientSecret: options.clientSecret,
		now: deps.now,
	});
}

export type Bitrix24Runtime = ReturnType<typeof createBitrix24Runtime>;
