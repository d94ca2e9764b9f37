import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../connector-server/src/config/config.ts';
import { newId } from '../../../connector-server/src/core/clock.ts';
import type { ChannelAdapter } from '../../../connector-server/src/core/ports/channel.ts';
import type { InboundBatch } from '../../../connector-server/src/core/ports/inbound.ts';
import { type NitkaServer, startNitkaServer } from '../../../connector-server/src/server.ts';
import {
	type AppReceiver,
	type Bitrix24Emulator,
	startAppReceiver,
	startBitrix24Emulator,
} from '../../emulators/bitrix24/index.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram/index.ts';
import { silentLogger } from '../../support/silent-logger.ts';

export const APP_ID = 'local.65f1a2b3c4d5e6.12345678';
export const APP_SECRET = 'Sx9vP2mQ7rT4kL1nB8cZ3wY6hJ5dF0gA';

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

/** A test-only inbound source: the payload is the batch itself (stands in for marketplace adapters). */
const batchAdapter: ChannelAdapter = {
	channel: 'pos',
	intake: { verify: () => true, sourceKey: () => 'unused' },
	parse: (payload) => [payload as InboundBatch],
};

export interface Bitrix24Stack {
	server: NitkaServer;
	b24: Bitrix24Emulator;
	tg: TelegramEmulator;
	bitrixApp: AppReceiver;
	/** Stores a batch in the inbox as a webhook would, for the inbox worker to ingest. */
	ingest(tenantId: string, batch: InboundBatch, key: string): Promise<void>;
	close(): Promise<void>;
}

/**
 * The connector (temp SQLite, public URL on loopback) wired to the Bitrix24 and Telegram emulators,
 * with the Nitka app defined on the portal (install handler = the connector's install route).
 */
export async function startBitrix24Stack(
	options: {
		limits?: { burst: number; drainPerSecond: number };
		hasUi?: boolean;
		/** How many emulated portals (default one). */
		portals?: number;
		/** Extra Bitrix24 options (contact sweep period, bitrix-app build folder, return ticket poll). */
		bitrix24?: { contactSweepMs?: number; appDist?: string; returnsPollMs?: number };
		/** The app's scopes on the portal (default: CRM, open lines, placements). */
		scope?: string;
	} = {},
): Promise<Bitrix24Stack> {
	const limits = options.limits ?? { burst: 50, drainPerSecond: 2 };
	const [tg, b24, bitrixApp] = await Promise.all([
		startTelegramEmulator({ webhook: { initialDelayMs: 20, maxDelayMs: 100 } }),
		startBitrix24Emulator({ limits, portals: Array.from({ length: options.portals ?? 1 }, () => ({})) }),
		startAppReceiver(),
	]);
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-b24-'));
	const port = await freePort();
	const publicUrl = `http://127.0.0.1:${port}`;
	const config = loadConfig({
		DATA_DIR: dataDir,
		PORT: String(port),
		LOG_LEVEL: 'silent',
		PUBLIC_URL: publicUrl,
	});
	const server = await startNitkaServer({
		config,
		logger: silentLogger,
		channelApi: { telegram: tg.url },
		adapters: { 'test-batch': batchAdapter },
		outboxBackoff: { baseMs: 50, capMs: 500 },
		bitrix24: {
			clientId: APP_ID,
			clientSecret: APP_SECRET,
			appUrl: `${bitrixApp.url}/app/`,
			limits,
			// Only the emulator's OAuth server may vouch for an install (no other loopback server).
			allowedServerEndpoints: [b24.oauth.serverEndpoint],
			reconcileMs: 0,
			...options.bitrix24,
		},
	});
	b24.defineApp({
		clientId: APP_ID,
		clientSecret: APP_SECRET,
		scope: options.scope ?? 'crm,imopenlines,imconnector,im,placement,user_brief',
		handlerUrl: `${publicUrl}/hosts/bitrix24/install`,
		version: '1',
		hasUi: options.hasUi ?? true,
		status: 'L',
	});
	return {
		server,
		b24,
		tg,
		bitrixApp,
		async ingest(tenantId, batch, key) {
			const at = Date.now();
			await server.db
				.insertInto('inbox')
				.values({
					id: newId(at),
					tenant_id: tenantId,
					connection_id: null,
					source: 'test-batch',
					source_key: key,
					payload: JSON.stringify(batch),
					headers: '{}',
					received_at: at,
					status: 'pending',
					attempts: 0,
					error: null,
					processed_at: null,
				})
				.execute();
			server.inboxWorker.poke();
		},
		async close() {
			await server.close();
			await Promise.all([tg.close(), b24.close(), bitrixApp.close()]);
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

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

export async function api<T = Record<string, unknown>>(
	url: string,
	method: string,
	token: string | undefined,
	body?: unknown,
): Promise<{ status: number; body: T }> {
	const response = await fetch(url, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}
