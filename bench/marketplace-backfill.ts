import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../connector-server/src/config/config.ts';
import { issueApiKey } from '../connector-server/src/core/tenants/api-keys.ts';
import { createTenant } from '../connector-server/src/core/tenants/tenant-repository.ts';
import { ozonLimit } from '../connector-server/src/marketplaces/ozon/client.ts';
import { wbLimit } from '../connector-server/src/marketplaces/wildberries/client.ts';
import { startNitkaServer } from '../connector-server/src/server.ts';
import { ozonDefaultCredentials, startOzonEmulator } from '../tests/emulators/ozon/index.ts';
import { startWildberriesEmulator, wbDefaultToken } from '../tests/emulators/wildberries/index.ts';
import { startYandexMarketEmulator, ymDefaults } from '../tests/emulators/yandex-market/index.ts';
import { silentLogger } from '../tests/support/silent-logger.ts';

const COUNT = Number(process.env.BENCH_ORDERS ?? 10_000);
const DAY = 86_400_000;
const GOAL = 3;

/**
 * Backfill of COUNT orders per marketplace against the emulators with their real limits (Ozon 50/s,
 * WB 300/min burst 20, YM 4 parallel and hourly quotas), from connect to every order on a timeline.
 * The floor is what the limits allow for the requests the backfill needs: requests ÷ the sustained
 * rate (Ozon, WB); for Yandex Market, whose ceiling is 4 in flight, requests × one request's time ÷ 4.
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

	// One Yandex Market request's time on this machine, for its floor.
	const probes = 20;
	const probeStart = performance.now();
	for (let i = 0; i < probes; i++) {
		await fetch(`${ym.url}/v1/businesses/${ymDefaults.businessId}/orders?limit=50`, {
			method: 'POST',
			headers: { 'Api-Key': ymDefaults.apiKey, 'content-type': 'application/json' },
			body: '{}',
		}).then((r) => r.text());
	}
	const ymRequestMs = (performance.now() - probeStart) / probes;
	const ymProbeRequests = ym.requests.all().length;

	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-bench-mp-'));
	const server = await startNitkaServer({
		config: loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', API_RATE_LIMIT: '100000' }),
		logger: silentLogger,
		marketplaceApi: { ozon: ozon.url, wildberries: wb.url, 'yandex-market': ym.url },
		marketplacePollMs: 3_600_000,
	});
	const tenant = await createTenant(
		server.db,
		{ kind: 'bitrix24', name: 'Bench', externalId: 'bench-mp', agencyId: null },
		Date.now(),
	);
	const { key } = await issueApiKey(server.db, { tenantId: tenant.id }, 'bench', Date.now());
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
				requests: () => ozon.requests.all().length,
				floor: (n: number) => n / 50,
				limited: () => ozon.state.rateLimitedTotal,
				note: `client pace ${ozonLimit.perSecond}/s`,
			},
			{
				name: 'wildberries',
				seconds: await run({ marketplace: 'wildberries', token: wbDefaultToken }),
				requests: () => wb.requests.all().length,
				floor: (n: number) => n / 5,
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
		const orders = await server.db
			.selectFrom('orders')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
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
		await server.close();
		await Promise.all([ozon.close(), wb.close(), ym.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	}
}
