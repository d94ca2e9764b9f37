import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../connector-server/src/config/config.ts';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { type NitkaServer, startNitkaServer } from '../../../connector-server/src/server.ts';
import { type MaxEmulator, startMaxEmulator } from '../../emulators/max/index.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram/index.ts';
import { startVkEmulator, type VkEmulator } from '../../emulators/vk/index.ts';
import { makeTenant } from '../../support/fixtures.ts';
import { silentLogger } from '../../support/silent-logger.ts';

export interface ChannelStack {
	server: NitkaServer;
	tg: TelegramEmulator;
	vk: VkEmulator;
	max: MaxEmulator;
	tenantId: string;
	/** The connector's data folder (its master key lives there). */
	dataDir: string;
	api<T = Record<string, unknown>>(
		method: string,
		path: string,
		body?: unknown,
	): Promise<{ status: number; body: T; type: string }>;
	close(): Promise<void>;
}

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

/**
 * The connector (temp SQLite data dir) wired to the Telegram, VK and MAX emulators. `public: true`
 * sets PUBLIC_URL to the connector's own loopback address, so platforms deliver webhooks; without it
 * the connector long-polls.
 */
export async function startChannelStack(options: { public: boolean }): Promise<ChannelStack> {
	const [tg, vk, max] = await Promise.all([
		startTelegramEmulator({ webhook: { initialDelayMs: 50, maxDelayMs: 200 } }),
		startVkEmulator(),
		startMaxEmulator({ webhook: { retryDelayMs: 100 } }),
	]);
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-channels-'));
	const port = await freePort();
	const config = loadConfig({
		DATA_DIR: dataDir,
		PORT: String(port),
		LOG_LEVEL: 'silent',
		...(options.public ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
	});
	const server = await startNitkaServer({
		config,
		logger: silentLogger,
		channelApi: { telegram: tg.url, vk: vk.apiBaseUrl, max: max.url },
		outboxBackoff: { baseMs: 100, capMs: 1_000 },
	});
	const tenant = await makeTenant(server.db);
	const { key } = await issueApiKey(server.db, { tenantId: tenant.id }, 'e2e', Date.now());
	return {
		server,
		tg,
		vk,
		max,
		tenantId: tenant.id,
		dataDir,
		async api(method, route, body) {
			const response = await fetch(`${server.url}/api/v1/tenants/${tenant.id}${route}`, {
				method,
				headers: {
					authorization: `Bearer ${key}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
			const type = response.headers.get('content-type') ?? '';
			const text = await response.text();
			return {
				status: response.status,
				body: (type.includes('json') && text ? JSON.parse(text) : text) as never,
				type,
			};
		},
		async close() {
			await server.close();
			await Promise.all([tg.close(), vk.close(), max.close()]);
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** Polls `check` until it returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(
	check: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 10_000,
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

export interface CustomerBody {
	id: string;
	identities: { type: string; value: string; verified: boolean }[];
}

/** The customer holding a platform identifier, once the inbox worker has stored it. */
export async function customerBy(stack: ChannelStack, type: string, value: string): Promise<CustomerBody> {
	return await eventually(async () => {
		const found = await stack.api<{ items: CustomerBody[] }>(
			'GET',
			`/customers?identifierType=${type}&identifier=${value}`,
		);
		return found.body.items?.[0];
	});
}

export async function timeline(stack: ChannelStack, customerId: string) {
	const page = await stack.api<{ items: { type: string; channel: string; data: Record<string, unknown> }[] }>(
		'GET',
		`/customers/${customerId}/timeline?limit=200`,
	);
	return page.body.items;
}
