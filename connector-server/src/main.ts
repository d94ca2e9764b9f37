import { ConfigError, loadConfig } from './config/config.ts';
import { createLogger } from './observability/logger.ts';
import { startNitkaServer } from './server.ts';

/** `npm run server`: the connector alone, configured from the environment. */
async function main(): Promise<void> {
	let config: ReturnType<typeof loadConfig>;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`${error.message}\n`);
			process.exit(78); // EX_CONFIG
		}
		throw error;
	}
	const logger = createLogger(config.logLevel);
	const server = await startNitkaServer({
		config,
		logger,
		...(config.bitrix24
			? {
					bitrix24: {
						clientId: config.bitrix24.clientId,
						clientSecret: config.bitrix24.clientSecret,
						appCode: config.bitrix24.appCode,
						appUrl: config.bitrix24.appUrl,
						allowedServerEndpoints: config.bitrix24.oauthServers,
					},
				}
			: {}),
	});
	const shutdown = (signal: string) => {
		logger.info({ signal }, 'shutting down');
		server.close().then(
			() => process.exit(0),
			(error: unknown) => {
				logger.error({ err: error }, 'shutdown failed');
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
