import { bitrixAppBundleBenchmark } from './bitrix-app-bundle.ts';
import { bitrix24BackfillBenchmark } from './bitrix24-backfill.ts';
import { ingestBenchmark } from './ingest.ts';
import { marketplaceBackfillBenchmark } from './marketplace-backfill.ts';
import { woocommerceOrderScreenBenchmark } from './woocommerce-order-screen.ts';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME` runs one. Each prints its
 * measurements side by side with its baseline and ends with one line `NAME: FIGURE (goal GOAL)`.
 */
const benchmarks: Record<string, () => Promise<void>> = {
	ingest: ingestBenchmark,
	'marketplace-backfill': marketplaceBackfillBenchmark,
	'bitrix-app-bundle': bitrixAppBundleBenchmark,
	'bitrix24-backfill': bitrix24BackfillBenchmark,
	'woocommerce-order-screen': woocommerceOrderScreenBenchmark,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
	console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
	process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
	console.log(`\n== ${name} ==`);
	await benchmarks[name]!();
}
