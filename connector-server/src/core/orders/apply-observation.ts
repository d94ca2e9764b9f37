import { identifierTypes, type Marketplace, type OrderStatus } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId } from '../clock.ts';
import { appendEvent, appendEvents } from '../events/event-store.ts';
import { mergeCustomers, resolveCustomer, rootOf } from '../identity/identity-graph.ts';
import {
	findNewCustomers,
	insertNewCustomers,
	newCustomerRow,
	newIdentityRows,
	type UsableIdentifier,
} from '../identity/new-customers.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import type { OrderObservation } from '../ports/marketplace.ts';
import { findOrders, insertOrders, type OrderRow, rootsOf, updateOrder } from './order-repository.ts';

export interface ApplyInput {
	tenantId: string;
	connectionId: string;
	source: Marketplace;
	observation: OrderObservation;
	at: number;
	reactors: readonly EventReactor[];
}

export type ApplyOutcome = 'created' | 'changed' | 'unchanged';

type Stored = Parameters<EventReactor>[0];

/**
 * Folds one observation into the order's row and the timeline, inside the caller's transaction.
 * The row is the memory that makes this idempotent: a repeated poll or a redelivered push finds
 * nothing new; a stale one (older than the status already held) is ignored, so statuses never go
 * back in time. Every real change is one event, keyed `<source>:<order>:<raw status>`.
 */
export async function applyObservation(tx: Db, input: ApplyInput): Promise<ApplyOutcome> {
	const { observation, ...rest } = input;
	const [outcome] = await applyObservations(tx, { ...rest, observations: [observation] });
	return outcome ?? 'unchanged';
}

export interface ApplyManyInput extends Omit<ApplyInput, 'observation'> {
	observations: readonly OrderObservation[];
}

/**
 * Orders a chunk looks up at once (and inserts at once): a page of Ozon's is a thousand. Between
 * chunks the event loop gets a turn, so the poller's request for the next page goes out and its
 * answer is read while this page is still being applied.
 */
const CHUNK = 200;

/**
 * A page of observations, with what applyObservation does to each, in their order — but with a
 * page's worth of queries instead of a handful per order: the chunk's orders are looked up in one
 * query, its new buyers in another, and new customers, identities, orders and events are inserted
 * in bulk. What only the identity graph can decide (a buyer it already knows, a buyer named for an
 * order first seen anonymously) takes the one-by-one path, after what came before it is written.
 * A chunk never holds one order twice, so every observation sees the ones before it.
 */
export async function applyObservations(tx: Db, input: ApplyManyInput): Promise<ApplyOutcome[]> {
	const outcomes: ApplyOutcome[] = [];
	let chunk: OrderObservation[] = [];
	const inChunk = new Set<string>();
	for (const observation of input.observations) {
		if (inChunk.has(observation.externalId) || chunk.length === CHUNK) {
			outcomes.push(...(await applyChunk(tx, input, chunk)));
			chunk = [];
			inChunk.clear();
			await new Promise((resolve) => setImmediate(resolve));
		}
		chunk.push(observation);
		inChunk.add(observation.externalId);
	}
	if (chunk.length > 0) outcomes.push(...(await applyChunk(tx, input, chunk)));
	return outcomes;
}

async function applyChunk(
	tx: Db,
	input: ApplyManyInput,
	chunk: readonly OrderObservation[],
): Promise<ApplyOutcome[]> {
	const { tenantId, source, at } = input;
	const rows = await findOrders(
		tx,
		tenantId,
		source,
		chunk.map((o) => o.externalId),
	);
	// Every buyer the chunk names counts, a known order's too: a buyer named twice is the graph's to resolve.
	const fresh = new Map<OrderObservation, UsableIdentifier[]>();
	const usable = await findNewCustomers(
		tx,
		tenantId,
		chunk.map((o) => o.buyer?.identifiers ?? []),
	);
	chunk.forEach((o, i) => {
		const identifiers = usable[i];
		if (identifiers && !rows.has(o.externalId)) fresh.set(o, identifiers);
	});

	// What the run since the last one-by-one observation writes, in bulk, in observation order.
	let customers: Database['customers'][] = [];
	let identities: Database['identities'][] = [];
	let orders: OrderRow[] = [];
	let moves: { row: OrderRow; o: OrderObservation }[] = [];
	let events: { customerId: string | OrderRow; event: InboundEvent }[] = [];
	const flush = async () => {
		await insertNewCustomers(tx, customers, identities);
		await insertOrders(tx, orders);
		const roots = await rootsOf(
			tx,
			tenantId,
			moves.map((m) => m.row.customer_id),
		);
		for (const { row, o } of moves) {
			await updateOrder(tx, tenantId, row.id, {
				status: o.status!,
				raw_status: o.rawStatus,
				status_at: o.statusAt,
				updated_at: at,
			});
		}
		const resolved = events.map(({ customerId, event }) => ({
			customerId: typeof customerId === 'string' ? customerId : roots.get(customerId.customer_id)!,
			event,
		}));
		const ids = await appendEvents(
			tx,
			resolved.map(({ customerId, event }) => ({ ...event, tenantId, customerId, recordedAt: at })),
		);
		const stored: Stored = [];
		resolved.forEach(({ customerId, event }, i) => {
			const eventId = ids[i];
			if (eventId) stored.push({ tenantId, customerId, eventId, event });
		});
		await react(tx, input, stored);
		customers = [];
		identities = [];
		orders = [];
		moves = [];
		events = [];
	};

	const outcomes: ApplyOutcome[] = [];
	for (const o of chunk) {
		const row = rows.get(o.externalId);
		if (!row) {
			if (o.partial) {
				outcomes.push('unchanged');
				continue;
			}
			const identifiers = fresh.get(o);
			if (o.buyer?.identifiers.length && !identifiers) {
				await flush();
				outcomes.push(await applyOne(tx, input, o, undefined));
				continue;
			}
			// A name without identifiers is shown, never matched on: it stays on this order's customer.
			const name = o.buyer?.name;
			const customer = newCustomerRow(tenantId, at, name ? { name, source: 'marketplace' } : undefined);
			customers.push(customer);
			if (identifiers) identities.push(...newIdentityRows(tenantId, customer.id, identifiers, source, at));
			const created = newOrderRow(input, o, customer.id);
			orders.push(created);
			events.push({ customerId: customer.id, event: createdEvent(source, o, created.status as OrderStatus) });
			outcomes.push('created');
			continue;
		}
		if (row.buyer_known === 0 && o.buyer?.identifiers.length) {
			await flush();
			outcomes.push(await applyOne(tx, input, o, row));
			continue;
		}
		if (!movesForward(row, o)) {
			outcomes.push('unchanged');
			continue;
		}
		moves.push({ row, o });
		events.push({ customerId: row, event: movedEvent(source, o, row) });
		outcomes.push('changed');
	}
	await flush();
	return outcomes;
}

/** Runs the reactors on what an observation (or a run of them) stored; their jobs join the transaction. */
async function react(tx: Db, input: ApplyManyInput, stored: Stored): Promise<void> {
	if (stored.length === 0) return;
	for (const reactor of input.reactors) {
		const jobs = await reactor(stored, tx);
		if (jobs.length > 0) await enqueueJobs(tx, input.tenantId, jobs, input.at);
	}
}

/** A status the order does not hold yet, and not older than the one it holds. */
function movesForward(row: OrderRow, o: OrderObservation): boolean {
	const moved = o.status !== null && (o.status !== row.status || o.rawStatus !== row.raw_status);
	return moved && o.statusAt >= Number(row.status_at);
}

function newOrderRow(input: ApplyManyInput, o: OrderObservation, customerId: string): OrderRow {
	return {
		id: newId(input.at),
		tenant_id: input.tenantId,
		source: input.source,
		external_id: o.externalId,
		connection_id: input.connectionId,
		number: o.number,
		status: o.status ?? 'created',
		raw_status: o.rawStatus,
		status_at: o.statusAt,
		customer_id: customerId,
		buyer_known: o.buyer?.identifiers.length ? 1 : 0,
		created_at: o.createdAt,
		updated_at: input.at,
	};
}

function createdEvent(source: Marketplace, o: OrderObservation, status: OrderStatus): InboundEvent {
	return {
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
			...(o.buyer?.company ? { buyerCompany: o.buyer.company } : {}),
		},
	};
}

function movedEvent(source: Marketplace, o: OrderObservation, row: OrderRow): InboundEvent {
	return {
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
	};
}

/**
 * One observation the identity graph must decide on: a new order whose buyer it may know, or a
 * known order whose buyer the marketplace names now. Its events go to the reactors at once.
 */
async function applyOne(
	tx: Db,
	input: ApplyManyInput,
	o: OrderObservation,
	row: OrderRow | undefined,
): Promise<ApplyOutcome> {
	const { tenantId, source, at } = input;
	const stored: Stored = [];
	const append = async (customerId: string, event: InboundEvent) => {
		const eventId = await appendEvent(tx, { ...event, tenantId, customerId, recordedAt: at });
		if (eventId) stored.push({ tenantId, customerId, eventId, event });
	};
	let outcome: ApplyOutcome = 'unchanged';
	if (!row) {
		const created = newOrderRow(input, o, await buyerCustomer(tx, input, o));
		await insertOrders(tx, [created]);
		await append(created.customer_id, createdEvent(source, o, created.status as OrderStatus));
		outcome = 'created';
	} else {
		let customerId = await rootOf(tx, tenantId, row.customer_id);
		if (row.buyer_known === 0 && o.buyer?.identifiers.length) {
			customerId = await joinBuyer(tx, input, o, customerId);
			await updateOrder(tx, tenantId, row.id, { buyer_known: 1, updated_at: at });
		}
		if (movesForward(row, o)) {
			await updateOrder(tx, tenantId, row.id, {
				status: o.status!,
				raw_status: o.rawStatus,
				status_at: o.statusAt,
				updated_at: at,
			});
			await append(customerId, movedEvent(source, o, row));
			outcome = 'changed';
		}
	}
	await react(tx, input, stored);
	return outcome;
}

/**
 * The customer of a buyer the marketplace names (marketplace-scoped ids, INN), as the identity
 * graph resolves it. Anonymous orders get a customer of their own in applyChunk: an anonymous
 * order is still someone's, and the parcel insert's deep link later joins that someone to their
 * messenger account, history included.
 */
async function buyerCustomer(tx: Db, input: ApplyManyInput, o: OrderObservation): Promise<string> {
	const buyer = o.buyer;
	const resolved = await resolveCustomer(tx, {
		tenantId: input.tenantId,
		identifiers: buyer?.identifiers ?? [],
		source: input.source,
		profile: buyer?.name ? { name: buyer.name, source: 'marketplace' } : undefined,
		eventSourceKey: `${input.source}:${o.externalId}:created`,
		at: input.at,
	});
	return resolved.customerId;
}

/** The marketplace named the buyer of an order first seen anonymously: join the two customers. */
async function joinBuyer(
	tx: Db,
	input: ApplyManyInput,
	o: OrderObservation,
	orderCustomer: string,
): Promise<string> {
	const buyer = await buyerCustomer(tx, input, o);
	if (buyer === orderCustomer) return buyer;
	if (await holdDifferentPeople(tx, input.tenantId, [buyer, orderCustomer])) return orderCustomer;
	const [survivor, merged] = await olderFirst(tx, input.tenantId, buyer, orderCustomer);
	await mergeCustomers(tx, {
		tenantId: input.tenantId,
		survivorId: survivor,
		mergedId: merged,
		rule: 'shared-identifier',
		evidence: {
			identifiers: (o.buyer?.identifiers ?? []).map(({ type, value }) => ({ type, value })),
			eventSourceKey: `${input.source}:${o.externalId}:buyer`,
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
