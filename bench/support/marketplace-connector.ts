import { loadConfig } from '../../connector-server/src/config/config.ts';
import type { MarketplaceApiEndpoints } from '../../connector-server/src/marketplaces/registry.ts';
import { startNitkaServer } from '../../connector-server/src/server.ts';

/**
 * The connector as its own process for the marketplace backfill benchmark, pointed at the
 * emulators the benchmark runs: the platforms' work never shares the connector's event loop,
 * as it never would in production. Prints `{"url":…}` once listening, like the server's log line.
 */
const endpoints = JSON.parse(process.env.NITKA_BENCH_MARKETPLACE_API ?? '{}') as MarketplaceApiEndpoints;
const server = await startNitkaServer({
	config: loadConfig(process.env),
	marketplaceApi: endpoints,
	// Only the backfill is measured: no reconciling sweep while it runs.
	marketplacePollMs: 3_600_000,
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once('SIGTERM', () => {
	void server.close().then(() => process.exit(0));
});
