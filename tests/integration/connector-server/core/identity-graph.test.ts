import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCustomerView } from '../../../../connector-server/src/core/customers/customer-view.ts';
import {
	decideReview,
	listReviews,
	manualMerge,
	unmerge,
} from '../../../../connector-server/src/core/customers/merge-service.ts';
import { readTimeline } from '../../../../connector-server/src/core/events/event-store.ts';
import { findCustomerByIdentifier } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { graphViolations, ingestMessage, snapshotGraph } from './graph-helpers.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

describe.each(dialects)('identity graph on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('creates one customer per new person and reuses it for the same identifier', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const first = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '111' }], T0);
		const again = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '111' }], T0 + 1000);
		const other = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '222' }], T0 + 2000);
		expect(again.customerId).toBe(first.customerId);
		expect(other.customerId).not.toBe(first.customerId);
	});

	it('matches a phone written differently as the same identifier', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const a = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '1' },
				{ type: 'phone', value: '8 (912) 345-67-89' },
			],
			T0,
		);
		expect(await findCustomerByIdentifier(db, tenant.id, 'phone', '+7 912 345 67 89')).toBe(a.customerId);
	});

	it('merges two customers when an event brings identifiers of both, and the timeline unites', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const tg = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '500' },
				{ type: 'phone', value: '+79161234567' },
			],
			T0,
			'tg',
		);
		const vk = await ingestMessage(db, tenant.id, [{ type: 'vk', value: '900' }], T0 + 1000, 'vk');
		const bridge = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'vk', value: '900' },
				{ type: 'phone', value: '89161234567' },
			],
			T0 + 2000,
			'bridge',
		);
		expect(bridge.merged).toEqual([vk.customerId]);
		expect(bridge.customerId).toBe(tg.customerId);
		const view = await getCustomerView(db, tenant.id, vk.customerId);
		expect(view.id).toBe(tg.customerId);
		expect(view.mergedIds).toEqual([vk.customerId]);
		expect(view.identities.map((i) => `${i.type}:${i.value}`).sort()).toEqual([
			'phone:+79161234567',
			'telegram:500',
			'vk:900',
		]);
		const page = await readTimeline(db, tenant.id, tg.customerId, { limit: 50 });
		const texts = page.items
			.filter((e) => e.type === 'message.in')
			.map((e) => (e.data as { text?: string }).text);
		expect(texts).toEqual(['bridge', 'vk', 'tg']);
		const merged = page.items.find((e) => e.type === 'customer.merged');
		expect(merged?.data).toMatchObject({
			survivorId: tg.customerId,
			mergedId: vk.customerId,
			rule: 'shared-identifier',
		});
		expect(await graphViolations(db, tenant.id)).toEqual([]);
	});

	it('sends a merge of two different Telegram ids to review instead of merging', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const a = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '1' },
				{ type: 'email', value: 'shared@mail.ru' },
			],
			T0,
		);
		const b = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '2' }], T0 + 1);
		const c = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '2' },
				{ type: 'email', value: 'shared@mail.ru' },
			],
			T0 + 2,
		);
		expect(c.merged).toEqual([]);
		expect(c.reviews).toHaveLength(1);
		const reviews = await listReviews(db, tenant.id);
		expect(reviews).toHaveLength(1);
		expect(reviews[0]!.customerIds.sort()).toEqual([a.customerId, b.customerId].sort());
		expect(reviews[0]!.reason).toContain('telegram');
		// A second event with the same evidence does not open a second review.
		await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '2' },
				{ type: 'email', value: 'shared@mail.ru' },
			],
			T0 + 3,
		);
		expect(await listReviews(db, tenant.id)).toHaveLength(1);
		const decided = await decideReview(db, tenant.id, reviews[0]!.id, 'approve', T0 + 10);
		expect(decided.mergeId).not.toBeNull();
		expect((await getCustomerView(db, tenant.id, b.customerId)).id).toBe(a.customerId);
		expect(await listReviews(db, tenant.id)).toHaveLength(0);
		expect(await graphViolations(db, tenant.id)).toEqual([]);
	});

	it('unmerge restores both customers exactly; later arrivals stay with the survivor', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const a = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '10' }], T0);
		await ingestMessage(db, tenant.id, [{ type: 'vk', value: '20' }], T0 + 1);
		const before = await snapshotGraph(db, tenant.id);
		const mergeId = await manualMerge(
			db,
			tenant.id,
			a.customerId,
			(await findCustomerByIdentifier(db, tenant.id, 'vk', '20'))!,
			T0 + 2,
		);
		const later = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'vk', value: '20' },
				{ type: 'email', value: 'later@mail.ru' },
			],
			T0 + 3,
		);
		expect(later.customerId).toBe(a.customerId);
		await unmerge(db, tenant.id, mergeId, T0 + 4, 'wrong person');
		const after = await snapshotGraph(db, tenant.id);
		const vkRoot = (await findCustomerByIdentifier(db, tenant.id, 'vk', '20'))!;
		expect(after.roots[vkRoot]).toEqual(before.roots[vkRoot]);
		expect(after.roots[a.customerId]!.identities).toEqual(['email:later@mail.ru', 'telegram:10']);
		await expect(unmerge(db, tenant.id, mergeId, T0 + 5)).rejects.toThrow(/already undone/);
		expect(await graphViolations(db, tenant.id)).toEqual([]);
	});

	it('keeps tenants apart: the same identifier in two tenants is two customers', async () => {
		const { db } = database;
		const one = await makeTenant(db);
		const two = await makeTenant(db);
		const a = await ingestMessage(db, one.id, [{ type: 'phone', value: '+79031234567' }], T0);
		const b = await ingestMessage(db, two.id, [{ type: 'phone', value: '+79031234567' }], T0);
		expect(a.customerId).not.toBe(b.customerId);
		await expect(getCustomerView(db, two.id, a.customerId)).rejects.toThrow(/not found/);
	});

	it('rejects junk identifiers and refuses a batch with nothing usable', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const result = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '77' },
				{ type: 'phone', value: '+7 000 000 00 00' },
			],
			T0,
		);
		expect((await getCustomerView(db, tenant.id, result.customerId)).identities.map((i) => i.type)).toEqual([
			'telegram',
		]);
		await expect(
			ingestMessage(db, tenant.id, [{ type: 'email', value: 'test@test.com' }], T0),
		).rejects.toThrow(/no usable identifier/);
	});

	it('picks the display name by source rank, then recency (survivorship)', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const { ingestBatch } = await import('../../../../connector-server/src/core/ingest/ingest.ts');
		const event = (n: number) => ({
			type: 'note' as const,
			channel: 'nitka' as const,
			occurredAt: T0 + n,
			sourceKey: `name-test-${tenant.id}-${n}`,
			data: { text: 'x', author: 'y' },
		});
		await db.transaction().execute((tx) =>
			ingestBatch(
				tx,
				tenant.id,
				{
					identifiers: [{ type: 'telegram', value: '5' }],
					profile: { name: 'vanya_tg', source: 'messenger' },
					events: [event(1)],
				},
				T0 + 1,
			),
		);
		await db.transaction().execute((tx) =>
			ingestBatch(
				tx,
				tenant.id,
				{
					identifiers: [{ type: 'telegram', value: '5' }],
					profile: { name: 'Иван Петров', source: 'host' },
					events: [event(2)],
				},
				T0 + 2,
			),
		);
		const r = await db.transaction().execute((tx) =>
			ingestBatch(
				tx,
				tenant.id,
				{
					identifiers: [{ type: 'telegram', value: '5' }],
					profile: { name: 'Ваня', source: 'messenger' },
					events: [event(3)],
				},
				T0 + 3,
			),
		);
		expect((await getCustomerView(db, tenant.id, r.customerId)).displayName).toBe('Иван Петров');
	});
});
