import type { IdentifierInput } from '@nitka/shared';
import { ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';

let sequence = 0;

/** Stores one inbound message carrying the given identifiers, as a channel adapter would. */
export async function ingestMessage(
	db: Db,
	tenantId: string,
	identifiers: IdentifierInput[],
	at: number,
	text = 'hello',
) {
	sequence += 1;
	return await db.transaction().execute((tx) =>
		ingestBatch(
			tx,
			tenantId,
			{
				identifiers,
				events: [
					{
						type: 'message.in',
						channel: 'telegram',
						occurredAt: at,
						sourceKey: `test:${tenantId}:${sequence}`,
						data: {
							channel: 'telegram',
							connectionId: 'c',
							chatId: '1',
							externalId: String(sequence),
							text,
							attachments: [],
						},
					},
				],
			},
			at,
		),
	);
}

export interface GraphSnapshot {
	/** root id → what that customer is: its members, identities and (non-bookkeeping) events. */
	roots: Record<string, { members: string[]; identities: string[]; events: string[] }>;
}

/** The whole identity graph of a tenant, in a comparable form. */
export async function snapshotGraph(db: Db, tenantId: string): Promise<GraphSnapshot> {
	const customers = await db
		.selectFrom('customers')
		.select(['id', 'root_id'])
		.where('tenant_id', '=', tenantId)
		.execute();
	const identities = await db
		.selectFrom('identities')
		.select(['customer_id', 'type', 'value'])
		.where('tenant_id', '=', tenantId)
		.execute();
	const events = await db
		.selectFrom('events')
		.select(['id', 'customer_id', 'type'])
		.where('tenant_id', '=', tenantId)
		.where('type', 'not in', ['customer.merged', 'customer.unmerged'])
		.execute();
	const rootOf = new Map(customers.map((c) => [c.id, c.root_id]));
	const roots: GraphSnapshot['roots'] = {};
	for (const c of customers) roots[c.root_id] ??= { members: [], identities: [], events: [] };
	for (const c of customers) roots[c.root_id]!.members.push(c.id);
	for (const i of identities) roots[rootOf.get(i.customer_id)!]!.identities.push(`${i.type}:${i.value}`);
	for (const e of events) roots[rootOf.get(e.customer_id)!]!.events.push(e.id);
	for (const r of Object.values(roots)) {
		r.members.sort();
		r.identities.sort();
		r.events.sort();
	}
	return { roots };
}

/** Checks the graph's invariants; returns the violations found (empty when sound). */
export async function graphViolations(db: Db, tenantId: string): Promise<string[]> {
	const problems: string[] = [];
	const customers = await db.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId).execute();
	const byId = new Map(customers.map((c) => [c.id, c]));
	for (const c of customers) {
		// Following parents must reach the stored root, and the root must be independent.
		let cursor = c;
		const seen = new Set<string>();
		while (cursor.parent_id) {
			if (seen.has(cursor.id)) {
				problems.push(`cycle at ${c.id}`);
				break;
			}
			seen.add(cursor.id);
			cursor = byId.get(cursor.parent_id)!;
		}
		if (cursor.id !== c.root_id)
			problems.push(`customer ${c.id}: root_id ${c.root_id} but parents lead to ${cursor.id}`);
	}
	const identities = await db
		.selectFrom('identities')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.execute();
	const owners = new Map<string, Set<string>>();
	for (const i of identities) {
		const key = `${i.type}:${i.value}`;
		const root = byId.get(i.customer_id)?.root_id;
		if (!root) problems.push(`identity ${key} owned by missing customer`);
		const set = owners.get(key) ?? new Set<string>();
		set.add(root ?? '?');
		owners.set(key, set);
	}
	for (const [key, set] of owners)
		if (set.size !== 1) problems.push(`identifier ${key} resolves to ${set.size} customers`);
	return problems;
}
