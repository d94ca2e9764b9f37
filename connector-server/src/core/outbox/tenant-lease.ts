import type { Db } from '../../db/database.ts';

/**
 * A tenant's outbox is worked by one process at a time. The lease is a row with an owner and an
 * expiry: taken when free or expired, renewed while held, and lost by a process that stops
 * renewing (a crash), after which another process takes it over.
 */
export async function acquireLease(
	db: Db,
	tenantId: string,
	owner: string,
	now: number,
	ttlMs: number,
): Promise<boolean> {
	const expiresAt = now + ttlMs;
	const row = await db
		.insertInto('tenant_leases')
		.values({ tenant_id: tenantId, owner, expires_at: expiresAt })
		.onConflict((oc) =>
			oc
				.column('tenant_id')
				.doUpdateSet({ owner, expires_at: expiresAt })
				.where((eb) =>
					eb.or([eb('tenant_leases.owner', '=', owner), eb('tenant_leases.expires_at', '<', now)]),
				),
		)
		.returning('owner')
		.executeTakeFirst();
	// No row back means the conflict's WHERE did not match: another live owner holds it.
	return row?.owner === owner;
}

export async function releaseLeases(db: Db, owner: string): Promise<void> {
	await db.deleteFrom('tenant_leases').where('owner', '=', owner).execute();
}
