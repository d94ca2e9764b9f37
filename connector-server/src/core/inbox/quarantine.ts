import type { QuarantineItem } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';

/** Payloads the worker could not understand, newest first, with their errors. */
export async function listQuarantine(db: Db, tenantId: string, limit: number, before?: string) {
	let q = db
		.selectFrom('inbox')
		.select(['id', 'source', 'source_key', 'received_at', 'attempts', 'error', 'payload'])
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'quarantined');
	if (before) q = q.where('id', '<', before);
	const rows = await q
		.orderBy('id', 'desc')
		.limit(limit + 1)
		.execute();
	const items: QuarantineItem[] = rows.slice(0, limit).map((row) => ({
		id: row.id,
		source: row.source,
		sourceKey: row.source_key,
		receivedAt: toIso(Number(row.received_at)),
		attempts: row.attempts,
		error: row.error,
		payload: row.payload,
	}));
	return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** Sends a quarantined payload through the worker again (after a fix was deployed). */
export async function requeueQuarantined(db: Db, tenantId: string, id: string): Promise<void> {
	const result = await db
		.updateTable('inbox')
		.set({ status: 'pending', attempts: 0, error: null, processed_at: null })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.where('status', '=', 'quarantined')
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`quarantined item ${id}`);
}
