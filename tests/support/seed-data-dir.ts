import path from 'node:path';
import { createConnection } from '../../connector-server/src/core/tenants/connections.ts';
import { createTenant } from '../../connector-server/src/core/tenants/tenant-repository.ts';
import { openDatabase } from '../../connector-server/src/db/database.ts';
import { SecretBox } from '../../connector-server/src/security/secret-box.ts';

/**
 * Prepares a data folder for a server started as a separate process: a tenant and a Telegram
 * connection whose webhook secret is known, sealed under the given master key.
 */
export async function seedTelegramDataDir(dataDir: string, masterKeyHex: string, webhookSecret: string) {
	const seed = await openDatabase({ dialect: 'sqlite', file: path.join(dataDir, 'nitka.sqlite') });
	try {
		const tenant = await createTenant(
			seed.db,
			{ kind: 'bitrix24', name: 'Seeded shop', externalId: `seed-${path.basename(dataDir)}` },
			Date.now(),
		);
		const connection = await createConnection(
			seed.db,
			new SecretBox(Buffer.from(masterKeyHex, 'hex')),
			{
				tenantId: tenant.id,
				channel: 'telegram',
				name: '@seeded_bot',
				credentials: { token: '1:A' },
				webhookSecret,
				settings: { botId: '1' },
			},
			Date.now(),
		);
		return { tenant, connection };
	} finally {
		await seed.close();
	}
}
