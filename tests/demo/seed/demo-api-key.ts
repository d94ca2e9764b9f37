import { issueApiKey, revokeApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import type { Db } from '../../../connector-server/src/db/database.ts';

const KEY_NAME = 'demo page';

/**
 * A fresh API key for the demo page, kept in memory only. The plaintext of a key is shown once, so
 * each start issues one and revokes the keys earlier runs issued.
 */
export async function rotateDemoApiKey(db: Db, tenantId: string, at: number): Promise<string> {
	const earlier = await db
		.selectFrom('api_keys')
		.select('id')
		.where('tenant_id', '=', tenantId)
		.where('name', '=', KEY_NAME)
		.where('revoked_at', 'is', null)
		.execute();
	for (const { id } of earlier) await revokeApiKey(db, id, at);
	return (await issueApiKey(db, { tenantId }, KEY_NAME, at)).key;
}
