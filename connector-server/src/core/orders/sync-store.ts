import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import type { StoredPage, SyncState, SyncStore } from '../ports/marketplace.ts';

/** Stores pages and pushes in the marketplace inbox; a key already there is a redelivery and is skipped. */
export async function storeInboxItems(
	db: Db,
	item: { tenantId: string; connectionId: string; source: string },
	pages: StoredPage[],
	at: number,
): Promise<number> {
	if (pages.length === 0) return 0;
	const result = await db
		.insertInto('marketplace_inbox')
		.values(
			pages.map((page) => ({
				id: newId(at),
				tenant_id: item.tenantId,
				connection_id: item.connectionId,
				source: item.source,
				source_key: page.sourceKey,
				payload: JSON.stringify(page.payload),
				received_at: at,
				status: 'pending',
				attempts: 0,
				error: null,
				processed_at: null,
			})),
		)
		.onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** A new connection's state: nothing walked yet, backfilling `[at − days, at]`. */
export function newSyncState(at: number, days: number): SyncState {
	return {
		cursor: {},
		progress: {
			phase: 'backfill',
			backfillFrom: at - days * 86_400_000,
			backfillTo: at,
			percent: 0,
			ordersSeen: 0,
			pages: 0,
			backfillFinishedAt: null,
			lastPollAt: null,
			lastError: null,
		},
	};
}

export async function loadSyncState(db: Db, connectionId: string): Promise<SyncState | null> {
	const row = await db
		.selectFrom('marketplace_sync')
		.select('state')
		.where('connection_id', '=', connectionId)
		.executeTakeFirst();
	return row ? (JSON.parse(row.state) as SyncState) : null;
}

export async function saveSyncState(
	db: Db,
	ids: { tenantId: string; connectionId: string },
	state: SyncState,
	at: number,
): Promise<void> {
	const value = JSON.stringify(state);
	await db
		.insertInto('marketplace_sync')
		.values({ connection_id: ids.connectionId, tenant_id: ids.tenantId, state: value, updated_at: at })
		.onConflict((oc) => oc.column('connection_id').doUpdateSet({ state: value, updated_at: at }))
		.execute();
}

/** The SyncStore of one connection: pages and the poller's next state commit together. */
export function createSyncStore(
	db: Db,
	ids: { tenantId: string; connectionId: string; source: string },
	now: () => number,
	onStored: () => void,
): SyncStore {
	return {
		load: () => loadSyncState(db, ids.connectionId),
		async commit(pages, state) {
			const at = now();
			const stored = await db.transaction().execute(async (tx) => {
				const n = await storeInboxItems(tx, ids, pages, at);
				await saveSyncState(tx, ids, state, at);
				return n;
			});
			if (stored > 0) onStored();
		},
		async knownBuyers(externalIds) {
			if (externalIds.length === 0) return new Set();
			const rows = await db
				.selectFrom('orders')
				.select('external_id')
				.where('tenant_id', '=', ids.tenantId)
				.where('source', '=', ids.source)
				.where('external_id', 'in', externalIds)
				.where('buyer_known', '=', 1)
				.execute();
			return new Set(rows.map((row) => row.external_id));
		},
	};
}
