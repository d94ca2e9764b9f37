import { ConsentDataSchema, type ConsentPurpose } from '@nitka/shared';
import type { Db } from '../../db/database.ts';

/**
 * Keeps the latest consent statement per customer and purpose. An older statement arriving late
 * (a redelivery, a backfill) never overrides a newer one.
 */
export async function recordConsent(
	tx: Db,
	tenantId: string,
	customerId: string,
	type: 'consent.given' | 'consent.withdrawn',
	data: unknown,
	at: number,
): Promise<void> {
	const consent = ConsentDataSchema.parse(data);
	const status = type === 'consent.given' ? 'given' : 'withdrawn';
	await tx
		.insertInto('consents')
		.values({
			tenant_id: tenantId,
			customer_id: customerId,
			purpose: consent.purpose,
			status,
			source: consent.source,
			recorded_at: at,
		})
		.onConflict((oc) =>
			oc
				.columns(['tenant_id', 'customer_id', 'purpose'])
				.doUpdateSet({ status, source: consent.source, recorded_at: at })
				.where('consents.recorded_at', '<=', at),
		)
		.execute();
}

/** Whether marketing may go to this customer: the newest statement across the merged members decides. */
export async function hasMarketingConsent(db: Db, tenantId: string, rootId: string): Promise<boolean> {
	return (await latestConsent(db, tenantId, rootId, 'marketing'))?.status === 'given';
}

export async function latestConsent(db: Db, tenantId: string, rootId: string, purpose: ConsentPurpose) {
	return await db
		.selectFrom('consents as k')
		.innerJoin('customers as c', 'c.id', 'k.customer_id')
		.select(['k.status', 'k.source', 'k.recorded_at'])
		.where('k.tenant_id', '=', tenantId)
		.where('c.root_id', '=', rootId)
		.where('k.purpose', '=', purpose)
		.orderBy('k.recorded_at', 'desc')
		.executeTakeFirst();
}
