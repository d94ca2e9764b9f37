import type { Logger } from 'pino';
import { type Config, loadConfig } from '../../../connector-server/src/config/config.ts';
import { createLogger } from '../../../connector-server/src/observability/logger.ts';
import { type NitkaServer, startNitkaServer } from '../../../connector-server/src/server.ts';
import type { NitkaBitrix24App } from '../../support/nitka-bitrix24-app.ts';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';

/**
 * The connector's configuration for the demo: SQLite in the demo's data dir, loopback, a port picked
 * beforehand (the Bitrix24 app must know the connector's URL), no PUBLIC_URL (so channels long-poll
 * the emulators, and a WordPress on this machine may pair with a local code), and an API rate limit
 * the page's polling never meets (its only client is this machine's page). Built from these
 * values only, so a DATABASE_URL or PORT meant for `npm run server` does not leak into the demo.
 */
export function demoConnectorConfig(dataDir: string, logLevel: Config['logLevel'], port = 0): Config {
	return loadConfig({
		DATA_DIR: dataDir,
		PORT: String(port),
		HOST: '127.0.0.1',
		LOG_LEVEL: logLevel,
		API_RATE_LIMIT: '100000',
	});
}

/** How often the connector sweeps the marketplaces: quick, so a moved order shows within a second or two. */
export const DEMO_MARKETPLACE_POLL_MS = 1_000;

export async function startDemoConnector(
	config: Config,
	platforms: DemoPlatforms,
	bitrix24: NitkaBitrix24App['connector'],
	logger: Logger = createLogger(config.logLevel),
): Promise<NitkaServer> {
	return await startNitkaServer({
		config,
		logger,
		channelApi: {
			telegram: platforms.telegram.url,
			vk: platforms.vk.apiBaseUrl,
			max: platforms.max.url,
		},
		marketplaceApi: {
			ozon: platforms.ozon.url,
			wildberries: platforms.wildberries.url,
			'yandex-market': platforms.yandexMarket.url,
		},
		marketplacePollMs: DEMO_MARKETPLACE_POLL_MS,
		bitrix24,
		// Quick retries: an emulator answering 429 should not leave a demo reply waiting for minutes.
		outboxBackoff: { baseMs: 200, capMs: 2_000 },
	});
}
