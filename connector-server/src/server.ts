import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type ChannelApiEndpoints, channelAdapters, createChannelClients } from './channels/registry.ts';
import type { Config } from './config/config.ts';
import { createCardRuntime } from './core/card/card-runtime.ts';
import { createChatOrderRuntime, hostInstalled } from './core/chat-orders/runtime.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { createChannelRuntime } from './core/conversations/channel-runtime.ts';
import { deriveCounterKeys } from './core/counter/qr-tokens.ts';
import { createCounterRuntime } from './core/counter/runtime.ts';
import { createCounterSweeper } from './core/counter/sweeper.ts';
import { getCustomerView } from './core/customers/customer-view.ts';
import { createHostIntake } from './core/hosts/host-intake.ts';
import { createHostLinks } from './core/hosts/host-links.ts';
import { createHostLocks } from './core/hosts/host-locks.ts';
import { createHostPortalStore } from './core/hosts/host-portal-store.ts';
import { createHostReactor } from './core/hosts/host-reactor.ts';
import { InboxWorker } from './core/inbox/inbox-worker.ts';
import { InboxWriter } from './core/inbox/inbox-writer.ts';
import type { EventReactor } from './core/ingest/ingest.ts';
import { MarketplaceRuntime } from './core/orders/marketplace-runtime.ts';
import { OrderInboxWorker } from './core/orders/order-inbox-worker.ts';
import { listOrders } from './core/orders/order-repository.ts';
import { OutboxWorker } from './core/outbox/outbox-worker.ts';
import type { ChannelAdapter } from './core/ports/channel.ts';
import type { HostCatalogs } from './core/ports/host-catalog.ts';
import type { InboundParser } from './core/ports/inbound.ts';
import type { OutboxHandler } from './core/ports/outbound.ts';
import { createPromoRuntime } from './core/promos/runtime.ts';
import { createReturnsRuntime } from './core/returns/runtime.ts';
import { type OpenedDatabase, openDatabase } from './db/database.ts';
import { createBitrix24Catalog } from './hosts/bitrix24/catalog.ts';
import {
	BITRIX24_DEFAULT_LIMITS,
	type Bitrix24Options,
	createBitrix24Runtime,
} from './hosts/bitrix24/runtime.ts';
import {
	createPickupHandler,
	createPingHandler,
	createWooCommerceCatalog,
	createWooCommerceHostCatalog,
	mapPickupEvents,
	PICKUP_JOB_KIND,
	PING_JOB_KIND,
	parseShopEvent,
	WOOCOMMERCE_SOURCE,
} from './hosts/woocommerce/index.ts';
import {
	createReturnHandler as createWooReturnHandler,
	mapReturnEvents as mapWooReturnEvents,
	RETURN_JOB_KIND as WOO_RETURN_JOB_KIND,
} from './hosts/woocommerce/returns.ts';
import { createHttpApp } from './http/app.ts';
import type { AppContext } from './http/context.ts';
import { createWooCommerceSites } from './http/routes/woocommerce-sites.ts';
import { createMarketplaceAdapters, type MarketplaceApiEndpoints } from './marketplaces/registry.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { loadMasterKey } from './security/master-key.ts';
import { SecretBox } from './security/secret-box.ts';
import { SessionTokens } from './security/session-tokens.ts';

export const VERSION = '0.1.0';

export interface NitkaServerOptions {
	config: Config;
	clock?: Clock;
	logger?: Logger;
	/** Extra outbox handlers by job kind (channels and hosts register theirs here). */
	outboxHandlers?: Record<string, OutboxHandler>;
	reactors?: EventReactor[];
	adapters?: Partial<Record<string, ChannelAdapter>>;
	outboxBackoff?: { baseMs?: number; capMs?: number; random?: () => number };
	/** Platform API roots for the messaging channels (tests and demo mode point them at emulators). */
	channelApi?: ChannelApiEndpoints;
	/** Marketplace API roots (tests, the benchmark and demo mode point them at emulators). */
	marketplaceApi?: MarketplaceApiEndpoints;
	/** Pause between a marketplace connection's reconciling sweeps; default one minute. */
	marketplacePollMs?: number;
	/** Counter lookups by phone or card allowed per device (default 30 per 10 minutes). */
	counterIdentifyLimit?: { windowMs: number; limit: number };
	/** The Bitrix24 app's credentials and URLs; without them the Bitrix24 routes answer 503. */
	bitrix24?: Omit<Bitrix24Options, 'publicUrl'> & { publicUrl?: string };
}

export interface NitkaServer {
	readonly url: string;
	readonly db: OpenedDatabase['db'];
	readonly dialect: OpenedDatabase['dialect'];
	readonly box: SecretBox;
	readonly clock: Clock;
	readonly logger: Logger;
	readonly metrics: Metrics;
	readonly inboxWorker: InboxWorker;
	readonly outboxWorker: OutboxWorker;
	readonly orderWorker: OrderInboxWorker;
	readonly marketplaces: MarketplaceRuntime;
	close(): Promise<void>;
}

/**
 * The composition root: opens storage, builds the workers and the HTTP app, starts listening.
 * Everything the core needs from channels and hosts is injected here, so the core imports none.
 */
export async function startNitkaServer(options: NitkaServerOptions): Promise<NitkaServer> {
	const { config } = options;
	const clock = options.clock ?? systemClock;
	const logger = options.logger ?? createLogger(config.logLevel);
	const metrics = createMetrics();
	const { key } = loadMasterKey(config.dataDir, config.masterKeyHex);
	const box = new SecretBox(key);
	const database = await openDatabase(config.database, {
		backgroundCheckpoints: { onError: (message) => logger.warn({ err: message }, 'WAL checkpoint failed') },
	});
	const { db, dialect } = database;

	const adapters: Partial<Record<string, ChannelAdapter>> = { ...channelAdapters, ...options.adapters };
	const parsers: Record<string, InboundParser> = {};
	for (const [name, adapter] of Object.entries(adapters)) if (adapter) parsers[name] = adapter.parse;
	// WooCommerce shop events are an inbox source like any channel; its signed ping goes through the outbox.
	parsers[WOOCOMMERCE_SOURCE] = parseShopEvent;
	const woocommerceSites = createWooCommerceSites(db, box);
	// Journey 1: the shop's products and chat pickup orders through the plugin's signed routes.
	const woocommerceCatalog = createWooCommerceCatalog(woocommerceSites, { now: () => clock.now() });
	const woocommerceHandlers: Record<string, OutboxHandler> = {
		[PING_JOB_KIND]: createPingHandler(woocommerceSites, () => clock.now()) as OutboxHandler,
		[PICKUP_JOB_KIND]: createPickupHandler(woocommerceCatalog) as OutboxHandler,
	};
	const channels = createChannelRuntime({
		db,
		box,
		clock,
		logger,
		clients: createChannelClients(options.channelApi),
		adapters,
		publicUrl: config.publicUrl,
		workerId: config.workerId,
	});

	const sessions = new SessionTokens(key, () => clock.now());
	// Journey 3 (complaint → return by QR): the chat dialog, approval, the counter's receipt.
	const returns = createReturnsRuntime({
		db,
		clock,
		keys: deriveCounterKeys(key),
		baseUrl: () => cardBaseUrl,
		reactors: () => reactors,
		privateChat: (channel, chatId) => channels.clients[channel]?.capabilities.privateChat?.(chatId) ?? true,
		durable: database.durable,
		committed: () => outboxWorker.poke(),
		// A Bitrix24 portal starts sending the ticket events (task and deal updates) once returns are set up.
		onSettingsSaved: async (tenantId) => {
			const portal = await db
				.selectFrom('host_portals')
				.select('tenant_id')
				.where('tenant_id', '=', tenantId)
				.where('host', '=', 'bitrix24')
				.where('status', '=', 'active')
				.executeTakeFirst();
			if (portal && bitrix24) await bitrix24.bindReturnEvents(tenantId);
		},
	});
	const bitrix24 = options.bitrix24
		? createBitrix24Runtime(
				{ ...options.bitrix24, publicUrl: options.bitrix24.publicUrl ?? config.publicUrl ?? '' },
				{
					store: createHostPortalStore(db, box, clock),
					locks: createHostLocks(db, clock, config.workerId),
					links: createHostLinks(db, clock),
					intake: createHostIntake(db, clock, channels.reply),
					sessions,
					now: () => clock.now(),
					returns: returns.tickets,
					onError: (error) => logger.warn({ err: error }, 'bitrix24 reconciliation failed'),
					orders: (tenantId, before, limit) => listOrders(db, tenantId, { limit, before }),
					linkedContacts: async (tenantId, after, limit) =>
						(
							await db
								.selectFrom('identities')
								.select('value')
								.where('tenant_id', '=', tenantId)
								.where('type', '=', 'bitrix24_contact')
								.$if(after !== undefined, (q) => q.where('value', '>', after!))
								.orderBy('value')
								.limit(limit)
								.execute()
						).map((row) => row.value),
				},
			)
		: undefined;

	// Card links point at PUBLIC_URL, or at the server's own address once it listens (demo, tests).
	let cardBaseUrl = config.publicUrl;
	const card = createCardRuntime({
		masterKey: key,
		clock,
		baseUrl: () => cardBaseUrl,
		privateChat: (channel, chatId) => channels.clients[channel]?.capabilities.privateChat?.(chatId) ?? true,
	});
	// Journey 2 (VK promo): answers "промокод" in the chats, thanks after a redemption at the counter.
	const promos = createPromoRuntime({
		db,
		clock,
		logger,
		reactors: () => reactors,
		privateChat: (channel, chatId) => channels.clients[channel]?.capabilities.privateChat?.(chatId) ?? true,
		durable: database.durable,
		committed: () => outboxWorker.poke(),
	});
	// Journey 1: the ordering conversation in the chats, with the catalog of the host the tenant has.
	const bitrix24Catalog = bitrix24
		? createBitrix24Catalog({
				pool: bitrix24.pool,
				links: createHostLinks(db, clock),
				limits: options.bitrix24?.limits ?? BITRIX24_DEFAULT_LIMITS,
				settings: bitrix24.settings,
			})
		: undefined;
	// A WooCommerce shop's catalog is its paired plugin's; a shop account gets the order in it.
	const woocommerceHostCatalog = createWooCommerceHostCatalog({
		catalog: woocommerceCatalog,
		shopAccountOf: async (tenantId, customerId) =>
			(await getCustomerView(db, tenantId, customerId)).identities.find(
				(identity) => identity.type === 'woocommerce_customer' && identity.verified,
			)?.value ?? null,
	});
	const hostCatalogs: HostCatalogs = async (tenantId) => {
		if (bitrix24Catalog && (await hostInstalled(db, tenantId, 'bitrix24'))) return bitrix24Catalog;
		return (await woocommerceSites.byTenant(tenantId)) ? woocommerceHostCatalog : null;
	};
	const chatOrders = createChatOrderRuntime({
		db,
		clock,
		catalogs: hostCatalogs,
		reactors: () => reactors,
		committed: () => outboxWorker.poke(),
		privateChat: (channel, chatId) => channels.clients[channel]?.capabilities.privateChat?.(chatId) ?? true,
	});
	// The Bitrix24 reactor sees messages and orders alike, so it runs in both inbox workers.
	const reactors: EventReactor[] = [
		...channels.reactors,
		card.reactor,
		promos.reactor,
		returns.reactor,
		chatOrders.reactor,
		...(bitrix24 ? [createHostReactor('bitrix24', bitrix24.mapper)] : []),
		// A WooCommerce order follows its pickup at the counter (only orders whose source is the shop).
		async (stored) => mapPickupEvents(stored),
		// Journey 3: a return of a WooCommerce order is noted on it, and the received goods refund it.
		async (stored) => mapWooReturnEvents(stored),
		...(options.reactors ?? []),
	];
	const beats = { inbox: 0, outbox: 0 };
	const outboxWorker = new OutboxWorker({
		db,
		handlers: {
			...channels.outboxHandlers,
			...woocommerceHandlers,
			...bitrix24?.outboxHandlers,
			...promos.outboxHandlers,
			[WOO_RETURN_JOB_KIND]: createWooReturnHandler(woocommerceSites, returns.tickets, {
				now: () => clock.now(),
			}) as OutboxHandler,
			...chatOrders.outboxHandlers,
			...options.outboxHandlers,
		},
		clock,
		logger,
		metrics,
		workerId: config.workerId,
		backoff: options.outboxBackoff,
		onHeartbeat: () => {
			beats.outbox = Date.now();
		},
	});
	const inboxWorker = new InboxWorker({
		db,
		dialect,
		parsers,
		reactors,
		clock,
		logger,
		metrics,
		onHeartbeat: () => {
			beats.inbox = Date.now();
		},
		onProcessed: () => outboxWorker.poke(),
		yieldTo: () => inbox.idle(),
	});
	const inbox = new InboxWriter(db, clock, () => inboxWorker.poke(), database.durable);
	const marketplaceAdapters = createMarketplaceAdapters(options.marketplaceApi);
	const orderWorker = new OrderInboxWorker({
		db,
		dialect,
		parsers: Object.fromEntries(Object.values(marketplaceAdapters).map((a) => [a.marketplace, a.parse])),
		reactors,
		clock,
		logger,
		onProcessed: () => outboxWorker.poke(),
	});
	const marketplaces = new MarketplaceRuntime({
		db,
		box,
		clock,
		logger,
		adapters: marketplaceAdapters,
		publicUrl: config.publicUrl,
		...(options.marketplacePollMs === undefined ? {} : { pollMs: options.marketplacePollMs }),
		onStored: () => orderWorker.poke(),
	});
	channels.attachInbox(inbox);

	const context: AppContext = {
		db,
		clock,
		box,
		logger,
		metrics,
		inbox,
		adapters,
		channels,
		marketplaces,
		sessions,
		bitrix24,
		counter: createCounterRuntime({
			masterKey: key,
			reactors,
			durable: database.durable,
			committed: () => outboxWorker.poke(),
			identifyLimit: options.counterIdentifyLimit,
		}),
		card,
		promos,
		returns,
		version: VERSION,
		publicUrl: config.publicUrl,
		bodyLimit: config.bodyLimit,
		workersReady: () => {
			if (!config.workers) return true;
			const fresh = Date.now() - 15_000;
			return beats.inbox > fresh && beats.outbox > fresh;
		},
	};
	const app = createHttpApp(context, config.apiRateLimit);
	const counterSweeper = createCounterSweeper(db, clock, logger);
	const server: Server = await new Promise((resolve, reject) => {
		const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
	});
	// Keep-alive longer than typical proxies' so they never reuse a socket we just closed.
	server.keepAliveTimeout = 65_000;
	const address = server.address() as AddressInfo;
	const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
	cardBaseUrl ??= url;
	if (config.workers) {
		inboxWorker.start();
		outboxWorker.start();
		// Pollers run where the workers run: one process per bot, or getUpdates calls collide.
		await channels.start();
		orderWorker.start();
		await marketplaces.start();
		bitrix24?.start();
		counterSweeper.start();
		promos.start();
	}
	logger.info({ url, database: dialect, dataDir: config.dataDir }, 'Nitka connector listening');

	let closing: Promise<void> | undefined;
	return {
		url,
		db,
		dialect,
		box,
		clock,
		logger,
		metrics,
		inboxWorker,
		outboxWorker,
		orderWorker,
		marketplaces,
		close() {
			closing ??= (async () => {
				bitrix24?.stop();
				await counterSweeper.stop();
				await promos.stop();
				await channels.stop();
				await marketplaces.stop();
				await new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeIdleConnections();
				});
				await inboxWorker.stop();
				await orderWorker.stop();
				await outboxWorker.stop();
				await database.close();
			})();
			return closing;
		},
	};
}
