import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepLinksFor } from '../../../../connector-server/src/core/links/deep-links.ts';
import type { ChannelClient } from '../../../../connector-server/src/core/ports/channel-client.ts';
import { createConnection } from '../../../../connector-server/src/core/tenants/connections.ts';
import { SecretBox } from '../../../../connector-server/src/security/secret-box.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

// Only the capability deepLinksFor calls; the rest of a client is not reached.
const client = (make: (token: string, settings: Record<string, unknown>) => string | null) =>
	({ capabilities: { deepLink: make } }) as unknown as ChannelClient;

describe.each(dialects)('deep links for a token on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('one link per active connection whose channel makes them, in connection order', async () => {
		const { db } = database;
		const box = new SecretBox(randomBytes(32));
		const tenant = await makeTenant(db);
		const other = await makeTenant(db);
		const connect = async (
			tenantId: string,
			channel: 'telegram' | 'vk' | 'max' | 'ozon',
			name: string,
			at: number,
		) =>
			await createConnection(db, box, { tenantId, channel, name, credentials: {}, settings: { name } }, at);
		const tg = await connect(tenant.id, 'telegram', 'shop_bot', T0);
		const vk = await connect(tenant.id, 'vk', 'club1', T0 + 1);
		await connect(tenant.id, 'ozon', 'seller', T0 + 2);
		const gone = await connect(tenant.id, 'telegram', 'old_bot', T0 + 3);
		await db.updateTable('connections').set({ status: 'disconnected' }).where('id', '=', gone.id).execute();
		await connect(other.id, 'telegram', 'foreign_bot', T0 + 4);
		const clients = {
			telegram: client((token, settings) => `https://t.me/${String(settings.name)}?start=${token}`),
			vk: client(() => null),
		};
		expect(await deepLinksFor(db, clients, tenant.id, 'tok')).toEqual([
			{ channel: 'telegram', connectionId: tg.id, url: 'https://t.me/shop_bot?start=tok' },
		]);
		expect(vk.status).toBe('active');
		expect(await deepLinksFor(db, undefined, tenant.id, 'tok')).toEqual([]);
	});
});
