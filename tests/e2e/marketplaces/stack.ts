import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../connector-server/src/config/config.ts';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import {
	type NitkaServer,
	type NitkaServerOptions,
	startNitkaServer,
} from '../../../connector-server/src/server.ts';
import { makeTenant } from '../../support/fixtures.ts';
import { silentLogger } from '../../support/silent-logger.ts';

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface MarketplaceStack {
	server: NitkaServer;
	tenantId: string;
	api<T = Record<string, unknown>>(
		method: string,
		route: string,
		body?: unknown,
	): Promise<{ status: number; body: T }>;
	/** Stops the connector and starts it again on the same data folder and port (a restart). */
	restart(): Promise<void>;
	close(): Promise<void>;
}

/** The connector on a fixed loopback port with PUBLIC_URL set to itself, so push URLs are real. */
export async function startMarketplaceStack(
	options: Omit<NitkaServerOptions, 'config'>,
): Promise<MarketplaceStack> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-marketplaces-'));
	const port = await freePort();
	const config = loadConfig({
		DATA_DIR: dataDir,
		PORT: String(port),
		LOG_LEVEL: 'silent',
		PUBLIC_URL: `http://127.0.0.1:${port}`,
		API_RATE_LIMIT: '100000',
	});
	const start = () => startNitkaServer({ config, logger: silentLogger, marketplacePollMs: 300, ...options });
	let server = await start();
	const tenant = await makeTenant(server.db);
	const { key } = await issueApiKey(server.db, { tenantId: tenant.id }, 'e2e', Date.now());
	const stack: MarketplaceStack = {
		server,
		tenantId: tenant.id,
		async api(method, route, body) {
			const response = await fetch(`${server.url}/api/v1/tenants/${tenant.id}${route}`, {
				method,
				headers: {
					authorization: `Bearer ${key}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
			const text = await response.text();
			return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
		},
		async restart() {
			await server.close();
			server = await start();
			stack.server = server;
		},
		async close() {
			await server.close();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
	return stack;
}

export async function eventually<T>(
	check: () => Promise<T | undefined | false>,
	timeoutMs = 20_000,
): Promise<T> {
	const until = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < until) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

export interface SyncBody {
	connection: { id: string };
	sync: {
		phase: string;
		percent: number;
		ordersSeen: number;
		pages: number;
		pending: number;
		quarantined: number;
	};
	pushUrl: string | null;
}

/** Waits until the connection's backfill is done and every stored page has been turned into orders. */
export async function settled(
	stack: MarketplaceStack,
	connectionId: string,
	timeoutMs = 30_000,
): Promise<SyncBody> {
	return await eventually(async () => {
		const view = await stack.api<SyncBody>('GET', `/marketplaces/${connectionId}`);
		return view.body.sync.phase === 'live' && view.body.sync.pending === 0 ? view.body : undefined;
	}, timeoutMs);
}

/** Counts of orders and order events in the database, per source. */
export async function orderCounts(server: NitkaServer, source: string) {
	const orders = await server.db
		.selectFrom('orders')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('source', '=', source)
		.executeTakeFirstOrThrow();
	const created = await server.db
		.selectFrom('events')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('channel', '=', source)
		.where('type', '=', 'order.created')
		.executeTakeFirstOrThrow();
	return { orders: Number(orders.n), created: Number(created.n) };
}

/** Phone identities in the database: marketplaces' substitute phones must never become one. */
export async function phoneIdentities(server: NitkaServer) {
	return await server.db.selectFrom('identities').select('id').where('type', '=', 'phone').execute();
}
