import type { QuarantineItem } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import type { StoredItemTable } from './stored-item-worker.ts';

/** Where a quarantined item waits: webhook payloads, or marketplace pages and pushes. */
const inboxes: Record<StoredItemTable, QuarantineItem['inbox']> = {
	inbox: 'webhooks',
	marketplace_inbox: 'marketplaces',
};
const tables = Object.keys(inboxes) as StoredItemTable[];

export interface QuarantineQuery {
	limit: number;
	/** An item id: the page starts after it (newest first). */
	before?: string | undefined;
	source?: string | undefined;
	connectionId?: string | undefined;
}

/**
 * Stored items the workers could not understand — webhook payloads and marketplace pages or pushes
 * alike — newest first, with their errors. Both inboxes share their columns and ULID ids, so one
 * keyset page merges the two.
 */
export async function listQuarantine(db: Db, tenantId: string, query: QuarantineQuery) {
	const { limit } = query;
	const rows = [];
	for (const table of tables) {
		let q = db
			.selectFrom(table as 'inbox')
			.select(['id', 'connection_id', 'source', 'source_key', 'received_at', 'attempts', 'error', 'payload'])
			.where('tenant_id', '=', tenantId)
			.where('status', '=', 'quarantined');
		if (query.before) q = q.where('id', '<', query.before);
		if (query.source) q = q.where('source', '=', query.source);
		if (query.connectionId) q = q.where('connection_id', '=', query.connectionId);
		const found = await q
			.orderBy('id', 'desc')
			.limit(limit + 1)
			.execute();
		rows.push(...found.map((row) => ({ ...row, inbox: inboxes[table] })));
	}
	rows.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
	const items: QuarantineItem[] = rows.slice(0, limit).map((row) => ({
		id: row.id,
		inbox: row.inbox,
		source: row.source,
		connectionId: row.connection_id,
		sourceKey: row.source_key,
		receivedAt: toIso(Number(row.received_at)),
		attempts: row.attempts,
		error: row.error,
		payload: row.payload,
	}));
	return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** Quarantined items of both inboxes, for health views. */
export async function countQuarantined(db: Db, tenantId: string): Promise<number> {
	let total = 0;
	for (const table of tables) {
		const row = await db
			.selectFrom(table as 'inbox')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('tenant_id', '=', tenantId)
			.where('status', '=', 'quarantined')
			.executeTakeFirst();
		total += Number(row?.n ?? 0);
	}
	return total;
}

/**
 * Sends a quarantined item through its worker again (after a fix was deployed), from whichever
 * inbox holds it; the worker finds it on its next round.
 */
export async function requeueQuarantined(db: Db, tenantId: string, id: string): Promise<void> {
	for (const table of tables) {
		const result = await db
			.updateTable(table as 'inbox')
			.set({ status: 'pending', attempts: 0, error: null, processed_at: null })
			.where('tenant_id', '=', tenantId)
			.where('id', '=', id)
			.where('status', '=', 'quarantined')
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) > 0) return;
	}
	throw new NotFoundError(`quarantined item ${id}`);
}
