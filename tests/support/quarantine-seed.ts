import { newId } from '../../connector-server/src/core/clock.ts';
import { saveSyncState } from '../../connector-server/src/core/orders/sync-store.ts';
import { createConnection } from '../../connector-server/src/core/tenants/connections.ts';
import type { Db } from '../../connector-server/src/db/database.ts';
import type { SecretBox } from '../../connector-server/src/security/secret-box.ts';

/** A stored item as a worker leaves it after giving up on it. */
export interface QuarantinedSeed {
	inbox: 'webhooks' | 'marketplaces';
	connectionId: string | null;
	source: string;
	payload: string;
	error: string;
	receivedAt: number;
}

/** The row a quarantined item left in its inbox: still quarantined, or requeued (and maybe re-quarantined). */
export async function marketplaceItem(db: Db, id: string) {
	return await db
		.selectFrom('marketplace_inbox')
		.select(['status', 'error', 'attempts'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
}

/**
 * Writes quarantined items straight into the two inboxes and returns their ids in the given order.
 * Ids are ULIDs from a monotonic source: like real arrivals they grow in the order they are made,
 * whatever `receivedAt` says, so seed what arrived earlier first (the list reads newest id first).
 * For host UI tests: what the UI shows of an item does not depend on how the worker failed.
 */
export async function seedQuarantine<const T extends readonly QuarantinedSeed[]>(
	db: Db,
	tenantId: string,
	items: T,
): Promise<{ [K in keyof T]: string }> {
	const ids: string[] = [];
	for (const [i, item] of items.entries()) {
		const id = newId(item.receivedAt);
		ids.push(id);
		const row = {
			id,
			tenant_id: tenantId,
			source: item.source,
			source_key: `${item.source}:quarantine-seed:${item.receivedAt}:${i}`,
			payload: item.payload,
			received_at: item.receivedAt,
			status: 'quarantined',
			attempts: 1,
			error: item.error,
			processed_at: item.receivedAt,
		};
		if (item.inbox === 'marketplaces') {
			if (!item.connectionId) throw new Error('a marketplace item needs its connection');
			await db
				.insertInto('marketplace_inbox')
				.values({ ...row, connection_id: item.connectionId })
				.execute();
		} else {
			await db
				.insertInto('inbox')
				.values({ ...row, connection_id: item.connectionId, headers: '{}' })
				.execute();
		}
	}
	return ids as { [K in keyof T]: string };
}

/**
 * A marketplace connection with made-up keys and a finished backfill, paused in the same
 * transaction that stores it (no poller ever sees it active), to hang quarantined pages on.
 */
export async function pausedMarketplaceConnection(
	db: Db,
	box: SecretBox,
	tenantId: string,
	channel: 'ozon' | 'wildberries' | 'yandex-market',
	name: string,
	at = Date.now(),
): Promise<string> {
	return await db.transaction().execute(async (tx) => {
		const { id } = await createConnection(
			tx,
			box,
			{ tenantId, channel, name, credentials: { apiKey: 'unused' } },
			at,
		);
		await tx.updateTable('connections').set({ status: 'paused' }).where('id', '=', id).execute();
		// Its sync state, as connecting stores it (the marketplaces list views every connection's).
		await saveSyncState(
			tx,
			{ tenantId, connectionId: id },
			{
				cursor: {},
				progress: {
					phase: 'live',
					backfillFrom: at - 30 * 86_400_000,
					backfillTo: at,
					percent: 100,
					ordersSeen: 0,
					pages: 0,
					backfillFinishedAt: at,
					lastPollAt: at,
					lastError: null,
				},
			},
			at,
		);
		return id;
	});
}
