import type { Db } from '../../db/database.ts';

export interface ConnectionFlow {
	/** When the newest stored item for the connection arrived (ms), or null when none has. */
	lastEventAt: number | null;
	/** Age of the oldest item still waiting to be processed, in seconds; 0 when none waits. */
	lagSeconds: number;
}

/**
 * Per connection: the newest item received and the oldest still pending, across the webhook inbox
 * and the marketplace inbox (a connection writes to one of them). Grouped queries, one each.
 */
export async function connectionFlows(
	db: Db,
	tenantId: string,
	now: number,
): Promise<Map<string, ConnectionFlow>> {
	const flows = new Map<string, ConnectionFlow>();
	const merge = (connectionId: string | null, newest: unknown, oldestPending: unknown) => {
		if (!connectionId) return;
		const flow = flows.get(connectionId) ?? { lastEventAt: null, lagSeconds: 0 };
		if (newest !== null) flow.lastEventAt = Math.max(flow.lastEventAt ?? 0, Number(newest));
		if (oldestPending !== null)
			flow.lagSeconds = Math.max(
				flow.lagSeconds,
				Math.max(0, Math.floor((now - Number(oldestPending)) / 1000)),
			);
		flows.set(connectionId, flow);
	};
	for (const table of ['inbox', 'marketplace_inbox'] as const) {
		const rows = await db
			.selectFrom(table)
			.select((eb) => [
				'connection_id',
				eb.fn.max('received_at').as('newest'),
				eb.fn
					.min(eb.case().when('status', '=', 'pending').then(eb.ref('received_at')).else(null).end())
					.as('oldest_pending'),
			])
			.where('tenant_id', '=', tenantId)
			.groupBy('connection_id')
			.execute();
		for (const row of rows) merge(row.connection_id, row.newest, row.oldest_pending);
	}
	return flows;
}
