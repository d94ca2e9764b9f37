import type { IdentifierInput, OrderStatus } from '@nitka/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCustomer } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { applyObservations } from '../../../../connector-server/src/core/orders/apply-observation.ts';
import type { OrderObservation } from '../../../../connector-server/src/core/ports/marketplace.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

// A page of observations applied at once must leave exactly what applying them one by one leaves:
// orders, statuses, customers (as merge trees), identities, names, events, merges, reviews, and the
// events the reactors saw, in order. Small pools so orders repeat and buyers collide.
const T0 = Date.parse('2026-11-23T10:00:00Z');
const orderIds = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5'];
const buyers: IdentifierInput[][] = [
	[{ type: 'ozon_buyer', value: '501' }],
	[{ type: 'ozon_buyer', value: '502' }],
	[{ type: 'inn', value: '7707083893' }],
	[
		{ type: 'ozon_buyer', value: '503' },
		{ type: 'inn', value: '7707083893' },
	],
	[
		{ type: 'ozon_buyer', value: '504' },
		{ type: 'ozon_buyer', value: '505' },
	],
	// Nothing usable: the graph refuses it, batched or not.
	[{ type: 'inn', value: '12-3' }],
];
const statuses: [OrderStatus, string][] = [
	['awaiting_packaging', 'awaiting_packaging'],
	['awaiting_shipment', 'awaiting_deliver'],
	['shipped', 'delivering'],
	['delivered', 'delivered'],
];

const observationArb: fc.Arbitrary<OrderObservation> = fc
	.record({
		order: fc.nat(orderIds.length - 1),
		status: fc.option(fc.nat(statuses.length - 1), { nil: null }),
		at: fc.nat(5),
		buyer: fc.option(fc.nat(buyers.length), { nil: null }),
		name: fc.option(fc.constantFrom('Ирина', 'ООО Ромашка'), { nil: null }),
		partial: fc.boolean(),
	})
	.map(({ order, status, at, buyer, name, partial }) => {
		const id = orderIds[order]!;
		const [shared, raw] = status === null ? [null, 'pushed'] : statuses[status]!;
		const identifiers = buyer === null || buyer === buyers.length ? [] : buyers[buyer]!;
		return {
			externalId: id,
			number: id,
			status: shared,
			rawStatus: raw,
			statusAt: T0 + at * 1000,
			createdAt: T0,
			...(identifiers.length > 0 || name ? { buyer: { identifiers, name: name ?? undefined } } : {}),
			...(partial ? { partial: true } : {}),
		};
	});

/** The tenant's order data with customers named by the merge tree they end up in, not by id. */
async function snapshot(db: Db, tenantId: string) {
	const customers = await db
		.selectFrom('customers')
		.select(['id', 'root_id', 'name', 'name_rank'])
		.where('tenant_id', '=', tenantId)
		.execute();
	const rootOf = new Map(customers.map((c) => [c.id, c.root_id]));
	const labels = new Map<string, string>();
	const label = (customerId: string) => {
		const root = rootOf.get(customerId)!;
		if (!labels.has(root)) labels.set(root, `customer ${labels.size + 1}`);
		return labels.get(root)!;
	};
	// Ids differ between runs: a customer's is named by its tree (and whether it is the root).
	const anonymize = (text: string) =>
		text.replace(/[0-9A-HJKMNP-TV-Z]{26}/g, (id) =>
			rootOf.has(id) ? `${label(id)}${rootOf.get(id) === id ? ' (root)' : ''}` : 'id',
		);
	const orders = (
		await db
			.selectFrom('orders')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.orderBy('external_id')
			.execute()
	).map((o) => [
		o.external_id,
		o.status,
		o.raw_status,
		Number(o.status_at),
		o.buyer_known,
		label(o.customer_id),
	]);
	const identities = (
		await db
			.selectFrom('identities')
			.select(['type', 'value', 'verified', 'source', 'customer_id'])
			.where('tenant_id', '=', tenantId)
			.orderBy('type')
			.orderBy('value')
			.execute()
	).map((i) => [i.type, i.value, i.verified, i.source, label(i.customer_id)]);
	const events = (
		await db
			.selectFrom('events')
			.select(['source_key', 'type', 'data', 'occurred_at', 'customer_id'])
			.where('tenant_id', '=', tenantId)
			.orderBy('source_key')
			.execute()
	).map((e) => [
		anonymize(e.source_key),
		e.type,
		anonymize(e.data),
		Number(e.occurred_at),
		label(e.customer_id),
	]);
	const names = customers
		.filter((c) => c.name !== null)
		.map((c) => [label(c.id), c.name, c.name_rank])
		.sort((a, b) => String(a).localeCompare(String(b)));
	const count = async (table: 'merges' | 'merge_reviews') =>
		Number(
			(
				await db
					.selectFrom(table)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('tenant_id', '=', tenantId)
					.executeTakeFirstOrThrow()
			).n,
		);
	return {
		orders,
		identities,
		events,
		names,
		trees: labels.size,
		merges: await count('merges'),
		reviews: await count('merge_reviews'),
	};
}

describe.each(dialects)('a page of marketplace observations on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database.drop();
	});

	/** Applies pages (one transaction each); a page the graph refuses rolls back, as the worker's item does. */
	async function run(tenantId: string, pages: OrderObservation[][]) {
		const outcomes: string[] = [];
		const seen: string[] = [];
		for (const page of pages) {
			try {
				const result = await database.db.transaction().execute((tx) =>
					applyObservations(tx, {
						tenantId,
						connectionId: 'c1',
						source: 'ozon',
						observations: page,
						at: T0 + 60_000,
						reactors: [
							async (stored) => {
								seen.push(...stored.map((s) => s.event.sourceKey));
								return [];
							},
						],
					}),
				);
				outcomes.push(...result);
			} catch (error) {
				outcomes.push(`failed: ${(error as Error).message}`);
			}
		}
		return { outcomes, seen };
	}

	it('one page at once leaves what the same observations one page each leave', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(observationArb, { minLength: 1, maxLength: 24 }), async (page) => {
				const [batched, single] = [await makeTenant(database.db), await makeTenant(database.db)];
				const a = await run(batched.id, [page]);
				const b = await run(
					single.id,
					page.map((o) => [o]),
				);
				const refused = b.outcomes.some((o) => o.startsWith('failed'));
				if (refused) {
					// The graph refused a buyer: the page fails whole, like its worker item would.
					expect(a.outcomes).toEqual([expect.stringMatching(/^failed/)]);
					return;
				}
				expect(a.outcomes).toEqual(b.outcomes);
				expect(a.seen).toEqual(b.seen);
				expect(await snapshot(database.db, batched.id)).toEqual(await snapshot(database.db, single.id));
			}),
			{ numRuns: dialect === 'sqlite' ? 120 : 40 },
		);
	});

	it('a page of new buyers writes the customers and identities the identity graph writes', async () => {
		const [batched, graph] = [await makeTenant(database.db), await makeTenant(database.db)];
		const page: OrderObservation[] = buyers.slice(0, 5).map((identifiers, i) => ({
			externalId: `N-${i}`,
			number: `N-${i}`,
			status: 'awaiting_packaging',
			rawStatus: 'awaiting_packaging',
			statusAt: T0,
			createdAt: T0,
			buyer: {
				identifiers: i === 4 ? [...identifiers, { ...identifiers[0]!, verified: true }] : identifiers,
				name: `Покупатель ${i}`,
			},
		}));
		// N-2 and N-3 share an INN: one new customer, the other joins it through the graph.
		await run(batched.id, [page]);
		await database.db.transaction().execute(async (tx) => {
			for (const o of page) {
				await resolveCustomer(tx, {
					tenantId: graph.id,
					identifiers: o.buyer!.identifiers,
					source: 'ozon',
					profile: { name: o.buyer!.name!, source: 'marketplace' },
					eventSourceKey: `ozon:${o.externalId}:created`,
					at: T0 + 60_000,
				});
			}
		});
		const view = async (tenantId: string) => {
			const { identities, names, trees } = await snapshot(database.db, tenantId);
			return { identities, names: names.map(([, name, rank]) => `${name} ${rank}`).sort(), trees };
		};
		const batchedView = await view(batched.id);
		expect(batchedView.identities.map((i) => i.slice(0, 4))).toEqual([
			['inn', '7707083893', 0, 'ozon'],
			['ozon_buyer', '501', 0, 'ozon'],
			['ozon_buyer', '502', 0, 'ozon'],
			['ozon_buyer', '503', 0, 'ozon'],
			['ozon_buyer', '504', 1, 'ozon'],
			['ozon_buyer', '505', 0, 'ozon'],
		]);
		expect(batchedView.trees).toBe(4);
		const graphView = await view(graph.id);
		expect(batchedView.identities.map((i) => i.slice(0, 4))).toEqual(
			graphView.identities.map((i) => i.slice(0, 4)),
		);
		expect(batchedView.names).toEqual(graphView.names);
	});
});
