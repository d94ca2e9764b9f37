import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../connector-server/src/config/config.ts';
import { issueApiKey } from '../../connector-server/src/core/tenants/api-keys.ts';
import { createConnection } from '../../connector-server/src/core/tenants/connections.ts';
import { createAgency, createTenant } from '../../connector-server/src/core/tenants/tenant-repository.ts';
import {
	type NitkaServer,
	type NitkaServerOptions,
	startNitkaServer,
} from '../../connector-server/src/server.ts';
import { silentLogger } from './silent-logger.ts';

export interface TestServer {
	server: NitkaServer;
	url: string;
	dataDir: string;
	stop(): Promise<void>;
}

/** The real connector on a free loopback port with its own data folder (SQLite unless DATABASE_URL is given). */
export async function startTestServer(
	env: Record<string, string> = {},
	options: Omit<NitkaServerOptions, 'config'> = {},
): Promise<TestServer> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-server-'));
	const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...env });
	const server = await startNitkaServer({ config, logger: silentLogger, ...options });
	return {
		server,
		url: server.url,
		dataDir,
		stop: async () => {
			await server.close();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** A tenant with an API key and a Telegram connection whose webhook secret is known. */
export async function seedTelegramTenant(server: NitkaServer, agencyName?: string) {
	const at = server.clock.now();
	const agency = agencyName ? await createAgency(server.db, agencyName, at) : null;
	const tenant = await createTenant(
		server.db,
		{
			kind: 'bitrix24',
			name: 'Demo shop',
			externalId: `portal-${Math.random().toString(36).slice(2)}`,
			agencyId: agency?.id ?? null,
		},
		at,
	);
	const key = await issueApiKey(server.db, { tenantId: tenant.id }, 'test', at);
	const webhookSecret = `secret-${Math.random().toString(36).slice(2)}`;
	const connection = await createConnection(
		server.db,
		server.box,
		{
			tenantId: tenant.id,
			channel: 'telegram',
			name: '@demo_bot',
			credentials: { token: '123:ABC' },
			webhookSecret,
			settings: { botId: '123' },
		},
		at,
	);
	return { tenant, agency, apiKey: key.key, connection, webhookSecret };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}
