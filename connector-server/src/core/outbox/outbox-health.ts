import type { Db } from '../../db/database.ts';

/** Age in seconds of the tenant's oldest pending outbox job; 0 when the queue is empty. */
export async function oldestPendingAge(db: Db, tenantId: string, now: number): Promise<number> {
	const row = await db
		.selectFrom('outbox')
		.select((eb) => eb.fn.min('created_at').as('oldest'))
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'pending')
		.executeTakeFirst();
	if (row?.oldest === null || row?.oldest === undefined) return 0;
	return Math.max(0, Math.floor((now - Number(row.oldest)) / 1000));
}
