import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { IdempotencyKeyReusedError } from './errors.ts';

/**
 * Idempotent counter actions (docs/counter.md). The action's key row is inserted first, in the
 * action's own transaction: a concurrent duplicate waits on that row (PostgreSQL) or on the
 * single writer (SQLite) and then finds it, so a double tap never applies twice. The same key with
 * the same request answers the stored response; with another request, 422. A refused action
 * (a domain error) rolls back with its key, so a retry is judged again.
 */

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

export interface ActionScope {
	tenantId: string;
	deviceId: string;
	/** The client's Idempotency-Key. */
	actionId: string;
	requestHash: string;
}

export interface ActionResponse {
	status: number;
	body: unknown;
}

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, inner]) => inner !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
}

export function requestHash(method: string, route: string, body: unknown): string {
	return createHash('sha256')
		.update(`${method.toUpperCase()} ${route}\n${canonicalJson(body)}`)
		.digest('hex');
}

export async function runIdempotent(
	db: Db,
	scope: ActionScope,
	now: number,
	action: (tx: Db) => Promise<ActionResponse>,
): Promise<ActionResponse & { replayed: boolean }> {
	return await db.transaction().execute(async (tx) => {
		const inserted = await tx
			.insertInto('counter_actions')
			.values({
				tenant_id: scope.tenantId,
				device_id: scope.deviceId,
				action_id: scope.actionId,
				request_hash: scope.requestHash,
				status: 0,
				response: 'null',
				created_at: now,
			})
			.onConflict((oc) => oc.columns(['tenant_id', 'device_id', 'action_id']).doNothing())
			.executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
			const stored = await tx
				.selectFrom('counter_actions')
				.select(['request_hash', 'status', 'response'])
				.where('tenant_id', '=', scope.tenantId)
				.where('device_id', '=', scope.deviceId)
				.where('action_id', '=', scope.actionId)
				.executeTakeFirstOrThrow();
			if (stored.request_hash !== scope.requestHash) throw new IdempotencyKeyReusedError();
			return { status: Number(stored.status), body: JSON.parse(stored.response) as unknown, replayed: true };
		}
		const response = await action(tx);
		await tx
			.updateTable('counter_actions')
			.set({ status: response.status, response: JSON.stringify(response.body ?? null) })
			.where('tenant_id', '=', scope.tenantId)
			.where('device_id', '=', scope.deviceId)
			.where('action_id', '=', scope.actionId)
			.execute();
		return { ...response, replayed: false };
	});
}

/** Forgets stored action responses older than `before` (a day is plenty for retries). */
export async function sweepActions(db: Db, before: number): Promise<number> {
	const result = await db.deleteFrom('counter_actions').where('created_at', '<', before).executeTakeFirst();
	return Number(result.numDeletedRows ?? 0n);
}
