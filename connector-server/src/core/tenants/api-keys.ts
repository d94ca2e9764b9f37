import type { Db } from '../../db/database.ts';
import { randomToken, safeEqual, sha256Hex } from '../../security/tokens.ts';
import { newId } from '../clock.ts';
import { AuthenticationError, ConflictError, ForbiddenError } from '../errors.ts';

/** Who is calling the API: a shop's own key, or an agency key that spans the agency's tenants. */
export type Principal =
	| { kind: 'tenant'; keyId: string; tenantId: string }
	| { kind: 'agency'; keyId: string; agencyId: string }
	/**
	 * A host UI's short-lived session (Bitrix24 frame), scoped to exactly one tenant; `isAdmin` is
	 * the portal's own answer (`profile.ADMIN`) at the time the session was issued.
	 */
	| { kind: 'session'; tenantId: string; userId: string; host: string; isAdmin: boolean };

const KEY_FORMAT = /^nk_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{32,})$/;

/**
 * Issues an API key. The plaintext (`nk_<id>_<secret>`) is returned once; only a SHA-256 of the
 * secret is stored, compared in constant time.
 */
export async function issueApiKey(
	db: Db,
	owner: { tenantId: string } | { agencyId: string },
	name: string,
	at: number,
): Promise<{ id: string; key: string }> {
	const id = newId(at);
	const secret = randomToken(32);
	await db
		.insertInto('api_keys')
		.values({
			id,
			tenant_id: 'tenantId' in owner ? owner.tenantId : null,
			agency_id: 'agencyId' in owner ? owner.agencyId : null,
			name,
			secret_hash: sha256Hex(secret),
			created_at: at,
			last_used_at: null,
			revoked_at: null,
		})
		.execute();
	return { id, key: `nk_${id}_${secret}` };
}

export async function authenticateApiKey(db: Db, presented: string, at: number): Promise<Principal> {
	const match = KEY_FORMAT.exec(presented);
	if (!match) throw new AuthenticationError('malformed API key');
	const [, id, secret] = match as unknown as [string, string, string];
	const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row || row.revoked_at !== null || !safeEqual(row.secret_hash, sha256Hex(secret))) {
		throw new AuthenticationError('unknown or revoked API key');
	}
	// Coarse last-use tracking: one write a minute at most per key.
	if (row.last_used_at === null || at - Number(row.last_used_at) > 60_000) {
		await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
	}
	if (row.tenant_id) return { kind: 'tenant', keyId: id, tenantId: row.tenant_id };
	if (row.agency_id) return { kind: 'agency', keyId: id, agencyId: row.agency_id };
	throw new ConflictError('API key has no owner');
}

/** Every tenant-scoped route passes through here: a key acts only on its own tenant(s). */
export async function authorizeTenant(db: Db, principal: Principal, tenantId: string): Promise<void> {
	if (principal.kind === 'tenant' || principal.kind === 'session') {
		if (principal.tenantId !== tenantId) throw new ForbiddenError();
		return;
	}
	const tenant = await db
		.selectFrom('tenants')
		.select('agency_id')
		.where('id', '=', tenantId)
		.executeTakeFirst();
	if (!tenant || tenant.agency_id !== principal.agencyId) throw new ForbiddenError();
}

export async function revokeApiKey(db: Db, keyId: string, at: number): Promise<void> {
	await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', keyId).execute();
}
