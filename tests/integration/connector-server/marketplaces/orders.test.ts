import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	countQuarantined,
	listQuarantine,
	requeueQuarantined,
} from '../../../../connector-server/src/core/inbox/quarantine.ts';
import { applyObservation } from '../../../../connector-server/src/core/orders/apply-observation.ts';
import { OrderInboxWorker } from '../../../../connector-server/src/core/orders/order-inbox-worker.ts';
import { findOrder } from '../../../../connector-server/src/core/orders/order-repository.ts';
import { createSyncStore, storeInboxItems } from '../../../../connector-server/src/core/orders/sync-store.ts';
import { UnparseablePayloadError } from '../../../../connector-server/src/core/ports/inbound.ts';
import type { OrderObservation } from '../../../../connector-server/src/core/ports/marketplace.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const obs = (o: Partial<OrderObservation> & { externalId: string }): OrderObservation => ({
	number: o.externalId,
	status: 'awaiting_packaging',
	rawStatus: 'awaiting_packaging',
	statusAt: T0,
	createdAt: T0,
	...o,
});

describe.each(dialects)('orders repository on %s', (dialect) => {
	let db: TestDatabase;
	let tenantId: string;
	const apply = (o: OrderObservation, at = T0) =>
		db.db.transaction().execute((tx) =>
			applyObservation(tx, {
				tenantId,
				connectionId: 'c1',
				source: 'ozon',
				observation: o,
				at,
				reactors: [],
			}),
		);
	const eventsOf = (id: string) =>
		db.db
			.selectFrom('events')
			.select(['type', 'source_key', 'customer_id'])
			.where('tenant_id', '=', tenantId)
			.where('source_key', 'like', `ozon:${id}:%`)
			.orderBy('occurred_at')
			.execute();

	beforeAll(async () => {
		db = await createTestDatabase(dialect);
		tenantId = (await makeTenant(db.db)).id;
	});
	afterAll(async () => {
		await db.drop();
	});

	it('creates an order once, moves it forward, ignores repeats and stale news', async () => {
		expect(await apply(obs({ externalId: 'A-1' }))).toBe('created');
		expect(await apply(obs({ externalId: 'A-1' }))).toBe('unchanged');
		expect(
			await apply(obs({ externalId: 'A-1', status: 'shipped', rawStatus: 'delivering', statusAt: T0 + 10 })),
		).toBe('changed');
		// An older push arriving late never moves the order back.
		expect(
			await apply(
				obs({
					externalId: 'A-1',
					status: 'awaiting_shipment',
					rawStatus: 'awaiting_deliver',
					statusAt: T0 + 5,
				}),
			),
		).toBe('unchanged');
		const row = await findOrder(db.db, tenantId, 'ozon', 'A-1');
		expect(row?.status).toBe('shipped');
		expect((await eventsOf('A-1')).map((e) => e.source_key)).toEqual([
			'ozon:A-1:created',
			'ozon:A-1:delivering',
		]);
	});

	it('a push never creates an order; anonymous orders get a customer of their own', async () => {
		expect(await apply(obs({ externalId: 'P-1', partial: true }))).toBe('unchanged');
		expect(await findOrder(db.db, tenantId, 'ozon', 'P-1')).toBeUndefined();
		await apply(obs({ externalId: 'N-1' }));
		await apply(obs({ externalId: 'N-2' }));
		const [a, b] = await Promise.all([
			findOrder(db.db, tenantId, 'ozon', 'N-1'),
			findOrder(db.db, tenantId, 'ozon', 'N-2'),
		]);
		expect(a?.customer_id).not.toBe(b?.customer_id);
	});

	it('repeat buyers share one customer; a buyer named later joins the order customer', async () => {
		const buyer = { identifiers: [{ type: 'ozon_buyer' as const, value: '555' }], name: 'Ирина' };
		await apply(obs({ externalId: 'B-1', buyer }));
		await apply(obs({ externalId: 'B-2', buyer }));
		const [b1, b2] = await Promise.all([
			findOrder(db.db, tenantId, 'ozon', 'B-1'),
			findOrder(db.db, tenantId, 'ozon', 'B-2'),
		]);
		expect(b1?.customer_id).toBe(b2?.customer_id);
		await apply(obs({ externalId: 'B-3' }));
		await apply(obs({ externalId: 'B-3', buyer }));
		const b3 = await findOrder(db.db, tenantId, 'ozon', 'B-3');
		expect(b3?.buyer_known).toBe(1);
		const roots = await db.db
			.selectFrom('customers')
			.select('root_id')
			.where('id', 'in', [b1!.customer_id, b3!.customer_id])
			.execute();
		expect(new Set(roots.map((r) => r.root_id)).size).toBe(1);
	});

	it('stores pages with the cursor in one commit, and a repeated page once', async () => {
		const ids = { tenantId, connectionId: 'c9', source: 'ozon' };
		const store = createSyncStore(
			db.db,
			ids,
			() => T0,
			() => undefined,
		);
		const state = {
			cursor: { at: 1 },
			progress: {
				phase: 'backfill' as const,
				backfillFrom: 0,
				backfillTo: 1,
				percent: 10,
				ordersSeen: 1,
				pages: 1,
				backfillFinishedAt: null,
				lastPollAt: null,
				lastError: null,
			},
		};
		await store.commit([{ sourceKey: 'k1', payload: { a: 1 } }], state);
		await store.commit([{ sourceKey: 'k1', payload: { a: 1 } }], { ...state, cursor: { at: 2 } });
		expect(await store.load()).toMatchObject({ cursor: { at: 2 } });
		expect(await storeInboxItems(db.db, ids, [{ sourceKey: 'k1', payload: {} }], T0)).toBe(0);
		const rows = await db.db
			.selectFrom('marketplace_inbox')
			.select('id')
			.where('connection_id', '=', 'c9')
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('a marketplace page no parser understands is quarantined visibly beside webhooks: listed with its error, source, connection and time, filtered, requeued', async () => {
		const tenant = (await makeTenant(db.db)).id;
		const ids = { tenantId: tenant, connectionId: 'conn-ozon', source: 'ozon' };
		await storeInboxItems(db.db, ids, [{ sourceKey: 'ozon:page:bad', payload: { kind: 'nonsense' } }], T0);
		await storeInboxItems(
			db.db,
			{ ...ids, connectionId: 'conn-wb', source: 'wildberries' },
			[{ sourceKey: 'wb:page:bad', payload: { kind: 'nonsense' } }],
			T0 + 1,
		);
		// A quarantined webhook of the same tenant, older by id than both.
		const webhookId = '01KAAAAAAAAAAAAAAAAAAAAAAA';
		await db.db
			.insertInto('inbox')
			.values({
				id: webhookId,
				tenant_id: tenant,
				connection_id: 'conn-tg',
				source: 'telegram',
				source_key: 'telegram:1:1',
				payload: '{}',
				headers: '{}',
				received_at: T0,
				status: 'quarantined',
				attempts: 1,
				error: 'payload has no user',
				processed_at: T0,
			})
			.execute();
		const rejecting = () => {
			throw new UnparseablePayloadError('not an Ozon page');
		};
		const worker = (parse: (payload: unknown) => OrderObservation[]) =>
			new OrderInboxWorker({
				db: db.db,
				dialect,
				parsers: { ozon: parse, wildberries: rejecting },
				clock: { now: () => T0 + 10 },
				logger: silentLogger,
			});
		await worker(rejecting).runOnce();

		const all = await listQuarantine(db.db, tenant, { limit: 10 });
		expect(all.items.map((q) => [q.inbox, q.source, q.connectionId])).toEqual([
			['marketplaces', 'wildberries', 'conn-wb'],
			['marketplaces', 'ozon', 'conn-ozon'],
			['webhooks', 'telegram', 'conn-tg'],
		]);
		const ozon = all.items[1]!;
		expect(ozon).toMatchObject({
			sourceKey: 'ozon:page:bad',
			error: 'not an Ozon page',
			attempts: 1,
			receivedAt: new Date(T0).toISOString(),
			payload: JSON.stringify({ kind: 'nonsense' }),
		});
		expect(await countQuarantined(db.db, tenant)).toBe(3);
		// Filters and keyset pages.
		const first = await listQuarantine(db.db, tenant, { limit: 1 });
		expect(first.items.map((q) => q.source)).toEqual(['wildberries']);
		const second = await listQuarantine(db.db, tenant, { limit: 2, before: first.next! });
		expect(second.items.map((q) => q.source)).toEqual(['ozon', 'telegram']);
		expect(second.next).toBeNull();
		const byConnection = await listQuarantine(db.db, tenant, { limit: 10, connectionId: 'conn-ozon' });
		expect(byConnection.items.map((q) => q.id)).toEqual([ozon.id]);
		const bySource = await listQuarantine(db.db, tenant, { limit: 10, source: 'telegram' });
		expect(bySource.items.map((q) => q.id)).toEqual([webhookId]);
		// Another tenant sees none of it and cannot requeue it.
		const other = (await makeTenant(db.db)).id;
		expect((await listQuarantine(db.db, other, { limit: 10 })).items).toEqual([]);
		await expect(requeueQuarantined(db.db, other, ozon.id)).rejects.toThrow(/quarantined item/);

		// After a fix, the page goes through the order worker again and its order appears.
		await requeueQuarantined(db.db, tenant, ozon.id);
		await expect(requeueQuarantined(db.db, tenant, ozon.id)).rejects.toThrow(/quarantined item/);
		await worker(() => [obs({ externalId: 'Q-1' })]).runOnce();
		expect(await findOrder(db.db, tenant, 'ozon', 'Q-1')).toMatchObject({ status: 'awaiting_packaging' });
		expect((await listQuarantine(db.db, tenant, { limit: 10 })).items.map((q) => q.source)).toEqual([
			'wildberries',
			'telegram',
		]);
		// The webhook one is requeued into its own inbox.
		await requeueQuarantined(db.db, tenant, webhookId);
		const webhook = await db.db
			.selectFrom('inbox')
			.select('status')
			.where('id', '=', webhookId)
			.executeTakeFirst();
		expect(webhook?.status).toBe('pending');
	});
});
