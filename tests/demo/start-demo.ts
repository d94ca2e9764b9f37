import path from 'node:path';
import type { Config } from '../../connector-server/src/config/config.ts';
import { createLogger } from '../../connector-server/src/observability/logger.ts';
import { freePort } from '../support/free-port.ts';
import { nitkaBitrix24App } from '../support/nitka-bitrix24-app.ts';
import { createConnectorApi } from './connector/connector-api.ts';
import { reconcileWithFreshPlatforms } from './connector/platform-continuity.ts';
import { demoConnectorConfig, startDemoConnector } from './connector/start-connector.ts';
import type { DemoContext } from './demo-context.ts';
import { demoBitrixAppCredentials, startDemoPortal } from './hosts/bitrix24-portal.ts';
import { connectWordPress, siteCodeIssuer } from './hosts/wordpress.ts';
import { createMarketplaceDesks, type MarketplaceId } from './marketplaces/registry.ts';
import { seedOrders } from './marketplaces/seed-orders.ts';
import { createPageApp, listenOnLoopback } from './page/page-server.ts';
import { type PersonaId, personas } from './personas.ts';
import { startPlatforms } from './platforms/start-platforms.ts';
import { demoScenes } from './scenes/registry.ts';
import { rotateDemoApiKey } from './seed/demo-api-key.ts';
import { seedDemoCatalog } from './seed/demo-catalog.ts';
import { ensureDemoChannels } from './seed/demo-channels.ts';
import { ensureDemoCounter } from './seed/demo-counter.ts';
import { ensureDemoMarketplaces } from './seed/demo-marketplaces.ts';
import { ensureConsentingVkPersonas, ensureDemoPromos } from './seed/demo-promos.ts';
import { ensureDemoReturnSettings } from './seed/demo-returns.ts';
import { ensureDemoPortalTenant, ensureDemoShopTenant } from './seed/demo-tenants.ts';

export interface StartDemoOptions {
	/** Where the connector keeps its SQLite database and master key. */
	dataDir: string;
	/** The demo page's port (0: any); a taken port falls back to any free one. */
	port?: number;
	logLevel?: Config['logLevel'];
	/** A running WordPress with the plugin; default: the one tests/wordpress/setup.sh started, if any. */
	wordpressUrl?: string;
	/** One line per component as it comes up (never personal data). */
	log?: (line: string) => void;
}

export interface RunningDemo {
	/** The one URL to open. */
	readonly url: string;
	readonly urls: {
		page: string;
		connector: string;
		telegram: string;
		vk: string;
		max: string;
		bitrix24: string;
		marketplaces: Record<MarketplaceId, string>;
		wordpress: string | null;
	};
	/** The Bitrix24 tenant (the app's install; the channels and marketplaces are its) and the WooCommerce one. */
	readonly tenants: { bitrix24: string; woocommerce: string };
	/** For tests: the same context the page's actions use. */
	readonly context: DemoContext;
	stop(): Promise<void>;
}

/**
 * Starts the whole demo in this process: every emulator, the connector on SQLite in `dataDir`, the
 * Nitka app installed into the emulated portal (its tenant is the demo shop), channels and
 * marketplaces connected through the connector's API, seeded marketplace orders, a running
 * WordPress paired, and the demo page. Safe to run again on the same data dir.
 */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
	const log = options.log ?? (() => {});
	const stops: (() => Promise<void>)[] = [];
	const stop = async () => {
		for (const step of stops.reverse()) await step().catch(() => {});
	};
	try {
		const port = await freePort();
		const config = demoConnectorConfig(path.resolve(options.dataDir), options.logLevel ?? 'error', port);
		const continuity = await reconcileWithFreshPlatforms(config.database);
		const platforms = await startPlatforms(continuity.platforms);
		stops.push(() => platforms.close());
		log(`telegram  ${platforms.telegram.url}`);
		log(`vk        ${platforms.vk.url}`);
		log(`max       ${platforms.max.url}`);

		const nitka = nitkaBitrix24App({
			...demoBitrixAppCredentials,
			connectorUrl: `http://127.0.0.1:${port}`,
			connector: { reconcileMs: 0, returnsPollMs: 5_000 },
		});
		// Journey 3 gives the shop's manager a Bitrix24 task: the app asks for the `task` scope too.
		const nitkaApp = { ...nitka, app: { ...nitka.app, scope: `${nitka.app.scope},task` } };
		const server = await startDemoConnector(
			config,
			platforms,
			nitkaApp.connector,
			createLogger(config.logLevel),
		);
		stops.push(() => server.close());
		log(`connector ${server.url} (SQLite in ${config.dataDir})`);

		const now = Date.now();
		const { state: portalState } = platforms.bitrix24.portal();
		const tenant = await ensureDemoPortalTenant(server.db, portalState, now);
		const key = await rotateDemoApiKey(server.db, tenant.id, now);
		const api = createConnectorApi(server.url, tenant.id, key);
		const portal = await startDemoPortal(platforms.bitrix24, nitkaApp, api);
		log(`bitrix24  ${portal.url}${portal.app ? ' (with the Nitka app)' : ''}`);
		await ensureDemoChannels(api, platforms);

		const marketplaces = createMarketplaceDesks(platforms);
		const used = Object.fromEntries(
			Object.entries(continuity.orders).map(([id, externalIds]) => [
				id,
				Math.max(...externalIds.map((e) => marketplaces[id as MarketplaceId].sequenceOf(e))),
			]),
		);
		seedOrders(marketplaces, used);
		await ensureDemoMarketplaces(api);
		log(`ozon      ${platforms.ozon.url}`);
		log(`wb        ${platforms.wildberries.url}`);
		log(`ym        ${platforms.yandexMarket.url}`);

		const wordpress = await connectWordPress(
			options.wordpressUrl,
			server.url,
			siteCodeIssuer(server.db, server.box),
		);
		const shop = wordpress?.tenantId ?? (await ensureDemoShopTenant(server.db, now)).id;
		if (wordpress) log(`wordpress ${wordpress.url}${wordpress.tenantId ? ' (paired)' : ''}`);

		// The shop floor (journeys 1–3): a store and a pickup point with paired tablets; journey 2's
		// campaigns, after the VK personas who agree to offers have said so in the community.
		const counter = await ensureDemoCounter(api, server.url);
		log(`counter   ${server.url}/counter/ (${Object.keys(counter).length} tablets, paired from the page)`);
		log(`catalog   ${seedDemoCatalog(platforms)} products in the portal's CRM catalog`);
		const returns = portal.app ? await ensureDemoReturnSettings(api) : 'the app is not installed';
		if (returns) log(`returns   no Bitrix24 tickets (${returns}): approve through the API`);
		await ensureConsentingVkPersonas(api, platforms, log);
		const promo = await ensureDemoPromos(api);

		const context: DemoContext = { platforms, api, marketplaces, portal, counter, promo };
		const app = createPageApp(context, async () => {
			const probe = { connectorUrl: server.url, portal, wordpress, counter };
			const scenes = await Promise.all(
				Object.entries(demoScenes).map(async ([id, scene]) => ({
					id,
					title: scene.title,
					about: scene.about,
					actions: scene.actions,
					status: await scene.status(probe),
				})),
			);
			return {
				scenes,
				personas: Object.entries(personas).map(([id, p]) => ({ id: id as PersonaId, name: p.name })),
				marketplaces: Object.entries(marketplaces).map(([id, desk]) => ({ id, title: desk.title })),
			};
		});
		const page = await listenOnLoopback(app, options.port ?? 0);
		stops.push(
			() =>
				new Promise<void>((resolve) => {
					page.server.close(() => resolve());
					page.server.closeAllConnections();
				}),
		);

		let stopping: Promise<void> | undefined;
		return {
			url: page.url,
			urls: {
				page: page.url,
				connector: server.url,
				telegram: platforms.telegram.url,
				vk: platforms.vk.url,
				max: platforms.max.url,
				bitrix24: portal.url,
				marketplaces: {
					ozon: platforms.ozon.url,
					wildberries: platforms.wildberries.url,
					'yandex-market': platforms.yandexMarket.url,
				},
				wordpress: wordpress?.url ?? null,
			},
			tenants: { bitrix24: tenant.id, woocommerce: shop },
			context,
			stop: () => {
				stopping ??= stop();
				return stopping;
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
