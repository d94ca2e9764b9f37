import { identifierTypes, type Marketplace, type OrderStatus, profileSourceRanks } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import { appendEvent } from '../events/event-store.ts';
import { mergeCustomers, resolveCustomer, rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import type { OrderObservation } from '../ports/marketplace.ts';
import { findOrder, insertOrder, type OrderRow, updateOrder } from './order-repository.ts';

export interface ApplyInput {
	tenantId: string;
	connectionId: string;
	source: Marketplace;
	observation: OrderObservation;
	at: number;
	reactors: readonly EventReactor[];
}

export type ApplyOutcome = 'created' | 'changed' | 'unchanged';

/**
 * Folds one observation into the order's row and the timeline, inside the caller's transaction.
 * The row is the memory that makes this idempotent: a repeated poll or a redelivered push finds
 * nothing new; a stale one (older than the status already held) is ignored, so statuses never go
 * back in time. Every real change is one event, keyed `<source>:<order>:<raw status>`.
 */
export async function applyObservation(tx: Db, input: ApplyInput): Promise<ApplyOutcome> {
	const { tenantId, source, observation: o, at } = input;
	const row = await findOrder(tx, tenantId, source, o.externalId);
	const stored: Parameters<EventReactor>[0] = [];
	const append = async (customerId: string, event: InboundEvent) => {
		const eventId = await appendEvent(tx, { ...event, tenantId, customerId, recordedAt: at });
		if (eventId) stored.push({ tenantId, customerId, eventId, event });
	};
	let outcome: ApplyOutcome = 'unchanged';

	if (!row && o.partial) return 'unchanged';
	if (!row) {
		const customerId = await customerFor(tx, input);
		const status: OrderStatus = o.status ?? 'created';
		const created: OrderRow = {
			id: newId(at),
			tenant_id: tenantId,
			source,
			external_id: o.externalId,
			connection_id: input.connectionId,
			number: o.number,
			status,
			raw_status: o.rawStatus,
			status_at: o.statusAt,
			customer_id: customerId,
			buyer_known: o.buyer?.identifiers.length ? 1 : 0,
			created_at: o.createdAt,
			updated_at: at,
		};
		await insertOrder(tx, created);
		await append(customerId, {
			type: 'order.created',
			channel: source,
			occurredAt: o.createdAt,
			sourceKey: `${source}:${o.externalId}:created`,
			data: {
				source,
				orderId: o.externalId,
				number: o.number,
				status,
				rawStatus: o.rawStatus,
				currency: o.currency ?? 'RUB',
				items: o.items ?? [],
				...(o.total === undefined ? {} : { total: o.total }),
			},
		});
		outcome = 'created';
	} else {
		let customerId = await rootOf(tx, tenantId, row.customer_id);
		if (row.buyer_known === 0 && o.buyer?.identifiers.length) {
			customerId = await joinBuyer(tx, input, customerId);
			await updateOrder(tx, tenantId, row.id, { buyer_known: 1, updated_at: at });
		}
		const moved = o.status !== null && (o.status !== row.status || o.rawStatus !== row.raw_status);
		if (moved && o.statusAt >= Number(row.status_at)) {
			await updateOrder(tx, tenantId, row.id, {
				status: o.status!,
				raw_status: o.rawStatus,
				status_at: o.statusAt,
				updated_at: at,
			});
			await append(customerId, {
				type: 'order.status_changed',
				channel: source,
				occurredAt: o.statusAt,
				sourceKey: `${source}:${o.externalId}:${o.rawStatus}`,
				data: {
					source,
					orderId: o.externalId,
					number: row.number,
					from: row.status as OrderStatus,
					to: o.status!,
					rawStatus: o.rawStatus,
				},
			});
			outcome = 'changed';
		}
	}
	for (const reactor of input.reactors) {
		const jobs = await reactor(stored, tx);
		if (jobs.length > 0) await enqueueJobs(tx, tenantId, jobs, at);
	}
	return outcome;
}

/**
 * The buyer when the marketplace names one (marketplace-scoped ids, INN); otherwise a customer of
 * its own for this order. An anonymous order is still someone's: the parcel insert's deep link
 * later joins that someone to their messenger account, history included.
 */
async function customerFor(tx: Db, input: ApplyInput): Promise<string> {
	const buyer = input.observation.buyer;
	if (buyer?.identifiers.length) {
		const resolved = await resolveCustomer(tx, {
			tenantId: input.tenantId,
			identifiers: buyer.identifiers,
			source: input.source,
			profile: buyer.name ? { name: buyer.name, source: 'marketplace' } : undefined,
			eventSourceKey: `${input.source}:${input.observation.externalId}:created`,
			at: input.at,
		});
		return resolved.customerId;
	}
	const id = newId(input.at);
	await tx
		.insertInto('customers')
		.values({
			id,
			tenant_id: input.tenantId,
			parent_id: null,
			root_id: id,
			// A name is shown, never matched on: it stays on this order's customer.
			name: buyer?.name ?? null,
			name_rank: buyer?.name ? profileSourceRanks.marketplace : 0,
			name_at: buyer?.name ? input.at : 0,
			created_at: input.at,
			updated_at: input.at,
		})
		.execute();
	return id;
}

/** The marketplace named the buyer of an order first seen anonymously: join the two customers. */
async function joinBuyer(tx: Db, input: ApplyInput, orderCustomer: string): Promise<string> {
	const buyer = await customerFor(tx, input);
	if (buyer === orderCustomer) return buyer;
	if (await holdDifferentPeople(tx, input.tenantId, [buyer, orderCustomer])) return orderCustomer;
	const [survivor, merged] = await olderFirst(tx, input.tenantId, buyer, orderCustomer);
	await mergeCustomers(tx, {
		tenantId: input.tenantId,
		survivorId: survivor,
		mergedId: merged,
		rule: 'shared-identifier',
		evidence: {
			identifiers: (input.observation.buyer?.identifiers ?? []).map(({ type, value }) => ({ type, value })),
			eventSourceKey: `${input.source}:${input.observation.externalId}:buyer`,
		},
		at: input.at,
	});
	return survivor;
}

async function olderFirst(tx: Db, tenantId: string, a: string, b: string): Promise<[string, string]> {
	const rows = await tx
		.selectFrom('customers')
		.select(['id'])
		.where('tenant_id', '=', tenantId)
		.where('id', 'in', [a, b])
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return [rows[0]!.id, rows[1]!.id];
}

/** Two roots that each hold a different value of a one-per-person identifier are two people. */
async function holdDifferentPeople(tx: Db, tenantId: string, roots: string[]): Promise<boolean> {
	const rows = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select(['i.type', 'i.value', 'c.root_id'])
		.where('i.tenant_id', '=', tenantId)
		.where('c.root_id', 'in', roots)
		.execute();
	const seen = new Map<string, { root: string; value: string }>();
	for (const row of rows) {
		const single = identifierTypes[row.type as keyof typeof identifierTypes]?.cardinality === 'single';
		if (!single) continue;
		const prior = seen.get(row.type);
		if (prior && prior.root !== row.root_id && prior.value !== row.value) return true;
		seen.set(row.type, { root: row.root_id, value: row.value });
	}
	return false;
}
