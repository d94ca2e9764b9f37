import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueApiKey } from '../connector-server/src/core/tenants/api-keys.ts';
import { createTenant } from '../connector-server/src/core/tenants/tenant-repository.ts';
import { openDatabase } from '../connector-server/src/db/database.ts';
import { ozonLimit } from '../connector-server/src/marketplaces/ozon/client.ts';
import { wbLimit } from '../connector-server/src/marketplaces/wildberries/client.ts';
import { ozonDefaultCredentials, startOzonEmulator } from '../tests/emulators/ozon/index.ts';
import { startWildberriesEmulator, wbDefaultToken } from '../tests/emulators/wildberries/index.ts';
import { startYandexMarketEmulator, ymDefaults } from '../tests/emulators/yandex-market/index.ts';
import { startProcess } from './support/processes.ts';

const COUNT = Number(process.env.BENCH_ORDERS ?? 10_000);
const DAY = 86_400_000;
const GOAL = 3;

/**
 * One request's time: the fastest of seven sent one after another. The fastest, because a floor is
 * what the API allows at best; a slow probe (the machine busy elsewhere) would flatter the ratio.
 */
async function requestTime(send: () => Promise<Response>): Promise<number> {
	let fastest = Number.POSITIVE_INFINITY;
	for (let i = 0; i < 7; i++) {
		const started = performance.now();
		await (await send()).text();
		fastest = Math.min(fastest, performance.now() - started);
	}
	return fastest;
}

/**
 * Backfill of COUNT orders per marketplace against the emulators with their real limits (Ozon 50/s,
 * WB 300/min burst 20, YM 4 parallel and hourly quotas), from connect to every order on a timeline.
 * The floor is what the API allows for the requests the backfill needs: Ozon's posting pages are a
 * cursor chain, so requests × the larger of 1/50 s and one page's time; Wildberries, the requests past
 * its burst of 20 at 5/s; Yandex Market, whose ceiling is 4 in flight, requests × one request's time ÷ 4.
 * The connector runs as its own process (the emulators' work is the platforms', not ours).
 */
export async function marketplaceBackfillBenchmark(): Promise<void> {
	const [ozon, wb, ym] = await Promise.all([
		startOzonEmulator(),
		startWildberriesEmulator(),
		startYandexMarketEmulator(),
	]);
	const since = Date.now() - 29 * DAY;
	const until = Date.now() - 3_600_000;
	ozon.seller.generate(COUNT, { since, until });
	wb.seller.generate(COUNT, { since, until });
	ym.seller.generate(COUNT, { since, until });

	// One page request's time on this machine (a page walk cannot go faster than its requests).
	const ymRequestMs = await requestTime(() =>
		fetch(`${ym.url}/v1/businesses/${ymDefaults.businessId}/orders?limit=50`, {
			method: 'POST',
			headers: { 'Api-Key': ymDefaults.apiKey, 'content-type': 'application/json' },
			body: '{}',
		}),
	);
	const ozonPageMs = await requestTime(() =>
		fetch(`${ozon.url}/v4/posting/fbs/list`, {
			method: 'POST',
			headers: {
				'Client-Id': ozonDefaultCredentials.clientId,
				'Api-Key': ozonDefaultCredentials.apiKey,
				'content-type': 'application/json',
			},
			body: JSON.stringify({
				sort_dir: 'ASC',
				filter: { since: new Date(since).toISOString(), to: new Date(until).toISOString() },
				limit: 1000,
				cursor: '',
				with: { legal_info: true },
			}),
		}),
	);
	const ymProbeRequests = ym.requests.all().length;
	const ozonProbeRequests = ozon.requests.all().length;
	await new Promise((resolve) => setTimeout(resolve, 1_000)); // the probes' tokens come back

	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-bench-mp-'));
	const file = path.join(dataDir, 'nitka.sqlite');
	const seed = await openDatabase({ dialect: 'sqlite', file });
	const tenant = await createTenant(
		seed.db,
		{ kind: 'bitrix24', name: 'Bench', externalId: 'bench-mp', agencyId: null },
		Date.now(),
	);
	const { key } = await issueApiKey(seed.db, { tenantId: tenant.id }, 'bench', Date.now());
	await seed.close();
	const server = await startProcess('bench/support/marketplace-connector.ts', {
		DATA_DIR: dataDir,
		PORT: '0',
		LOG_LEVEL: 'silent',
		API_RATE_LIMIT: '100000',
		NITKA_BENCH_MARKETPLACE_API: JSON.stringify({
			ozon: ozon.url,
			wildberries: wb.url,
			'yandex-market': ym.url,
		}),
	});
	const api = async (method: string, route: string, body?: unknown) => {
		const r = await fetch(`${server.url}/api/v1/tenants/${tenant.id}${route}`, {
			method,
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		return (await r.json()) as { connection: { id: string }; sync: { phase: string; pending: number } };
	};
	const run = async (body: Record<string, unknown>) => {
		const started = performance.now();
		const connected = await api('POST', '/marketplaces', body);
		for (;;) {
			const view = await api('GET', `/marketplaces/${connected.connection.id}`);
			if (view.sync.phase === 'live' && view.sync.pending === 0) break;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		return (performance.now() - started) / 1000;
	};

	try {
		const results = [
			{
				name: 'ozon',
				seconds: await run({ marketplace: 'ozon', ...ozonDefaultCredentials }),
				requests: () => ozon.requests.all().length - ozonProbeRequests,
				// Each page's cursor comes in the previous answer: pages go one after another (the rate
				// of 50/s would allow 12 pages in 0.24 s; a chain of 12 answers takes longer).
				floor: (n: number) => n * Math.max(1 / 50, ozonPageMs / 1000),
				limited: () => ozon.state.rateLimitedTotal,
				note: `client pace ${ozonLimit.perSecond}/s, one 1000-posting page ${ozonPageMs.toFixed(1)} ms`,
			},
			{
				name: 'wildberries',
				seconds: await run({ marketplace: 'wildberries', token: wbDefaultToken }),
				requests: () => wb.requests.all().length,
				// 300 a minute with a burst of 20 (research §6.2).
				floor: (n: number) => Math.max(0, n - 20) / 5,
				limited: () => wb.state.rateLimitedTotal,
				note: `client pace ${wbLimit.perSecond}/s`,
			},
			{
				name: 'yandex-market',
				seconds: await run({
					marketplace: 'yandex-market',
					apiKey: ymDefaults.apiKey,
					businessId: ymDefaults.businessId,
				}),
				requests: () => ym.requests.all().length - ymProbeRequests,
				floor: (n: number) => (n * ymRequestMs) / 1000 / 4,
				limited: () => [...ym.state.stats.limited.values()].reduce((a, b) => a + b, 0),
				note: `one request ${ymRequestMs.toFixed(1)} ms`,
			},
		];
		await server.stop();
		const stored = await openDatabase({ dialect: 'sqlite', file });
		const orders = await stored.db
			.selectFrom('orders')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		await stored.close();
		console.log(`orders stored: ${Number(orders.n)} (expected ${3 * COUNT})`);
		let worst = 0;
		for (const r of results) {
			const n = r.requests();
			const floor = r.floor(n);
			const ratio = r.seconds / floor;
			worst = Math.max(worst, ratio);
			console.log(
				`${r.name.padEnd(14)} ${COUNT} orders in ${r.seconds.toFixed(2)} s; ${n} requests, floor ${floor.toFixed(2)} s → ×${ratio.toFixed(2)}; limit answers ${r.limited()} (${r.note})`,
			);
		}
		console.log(`marketplace-backfill: ×${worst.toFixed(2)} of the slowest API's floor (goal ≤ ×${GOAL})`);
	} finally {
		await server.stop();
		await Promise.all([ozon.close(), wb.close(), ym.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	}
}
