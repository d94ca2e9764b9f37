import type { Marketplace } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramUpdate } from '../../../../connector-server/src/channels/telegram/parse-update.ts';
import { createConversationReactor } from '../../../../connector-server/src/core/conversations/conversation-reactor.ts';
import { rootOf } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import { linkReactor } from '../../../../connector-server/src/core/links/link-reactor.ts';
import { createOrderLinkReactor } from '../../../../connector-server/src/core/links/order-link-reactor.ts';
import { applyObservation } from '../../../../connector-server/src/core/orders/apply-observation.ts';
import { findOrder } from '../../../../connector-server/src/core/orders/order-repository.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { ManualClock } from '../../../support/manual-clock.ts';

const CONNECTION = '01JD0000000000000000000TG1';
let updateId = 100;

// Telegram's documented Update shapes (core.telegram.org/bots/api#update).
const tgText = (fromId: number, text: string) => {
	updateId += 1;
	return {
		update_id: updateId,
		message: {
			message_id: updateId,
			from: { id: fromId, is_bot: false, first_name: 'Anna' },
			chat: { id: fromId, first_name: 'Anna', type: 'private' },
			date: 1_795_000_000,
			text,
		},
	};
};
const tgPress = (fromId: number, data: string) => {
	updateId += 1;
	return {
		update_id: updateId,
		callback_query: {
			id: `cb${updateId}`,
			from: { id: fromId, is_bot: false, first_name: 'Anna' },
			message: { message_id: 1, date: 1_795_000_000, chat: { id: fromId, type: 'private' }, text: '?' },
			chat_instance: '-1',
			data,
		},
	};
};

describe.each(dialects)('order numbers in messages on %s', (dialect) => {
	let database: TestDatabase;
	const clock = new ManualClock();
	const reactors = [linkReactor, createOrderLinkReactor(clock), createConversationReactor(clock)];
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	async function ingest(tenantId: string, payload: unknown) {
		clock.advance(1_000);
		return await database.db.transaction().execute(async (tx) => {
			const results = [];
			for (const batch of parseTelegramUpdate(payload, {
				tenantId,
				connectionId: CONNECTION,
				receivedAt: clock.now(),
				settings: { botId: 7 },
			}))
				results.push(await ingestBatch(tx, tenantId, batch, clock.now(), reactors));
			return results;
		});
	}

	/** A marketplace order with its own (order-scoped) customer, stored the way core/orders does. */
	async function marketplaceOrder(tenantId: string, source: Marketplace, number: string) {
		await database.db.transaction().execute(
			async (tx) =>
				await applyObservation(tx, {
					tenantId,
					connectionId: CONNECTION,
					source,
					observation: {
						externalId: number,
						number,
						status: 'created',
						rawStatus: 'awaiting_packaging',
						statusAt: clock.now(),
						createdAt: clock.now(),
					},
					at: clock.now(),
					reactors: [],
				}),
		);
		const row = await findOrder(database.db, tenantId, source, number);
		if (!row) throw new Error('order not stored');
		return { id: row.id, customerId: row.customer_id };
	}

	const sendJobs = async (tenantId: string) =>
		(
			await database.db
				.selectFrom('outbox')
				.select(['payload', 'dedupe_key'])
				.where('tenant_id', '=', tenantId)
				.where('kind', '=', 'message.send')
				.orderBy('id')
				.execute()
		).map((row) => JSON.parse(row.payload) as { text: string; buttons?: { text: string; data: string }[] });

	it('offers to link a named Ozon posting, once, and links after the customer confirms', async () => {
		const tenant = await makeTenant(database.db);
		const order = await marketplaceOrder(tenant.id, 'ozon', '39271043-0057-1');
		const [first] = await ingest(tenant.id, tgText(501, 'Здравствуйте, где заказ 39271043-0057-1?'));
		const jobs = await sendJobs(tenant.id);
		expect(jobs).toHaveLength(1);
		expect(jobs[0]!.text).toContain('39271043-0057-1');
		const [yes, no] = jobs[0]!.buttons ?? [];
		expect(yes?.data).toMatch(/^ol:y:[A-Za-z0-9_-]{32}$/);
		expect(Buffer.byteLength(yes!.data)).toBeLessThanOrEqual(64);
		expect(no?.data).toBe(yes!.data.replace('ol:y:', 'ol:n:'));

		// Naming it again offers nothing new; nothing is linked before the answer.
		await ingest(tenant.id, tgText(501, 'Повторяю: 39271043-0057-1'));
		expect(await sendJobs(tenant.id)).toHaveLength(1);
		expect(await rootOf(database.db, tenant.id, first!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, order.customerId),
		);

		await ingest(tenant.id, tgPress(501, yes!.data));
		expect(await rootOf(database.db, tenant.id, first!.customerId)).toBe(
			await rootOf(database.db, tenant.id, order.customerId),
		);
		const linked = await database.db
			.selectFrom('events')
			.select(['type', 'source_key'])
			.where('tenant_id', '=', tenant.id)
			.where('type', 'in', ['identity.linked', 'customer.merged'])
			.where('source_key', 'like', `telegram:7:${updateId}%`)
			.execute();
		expect(linked).toEqual([{ type: 'identity.linked', source_key: `telegram:7:${updateId}:message` }]);
		const merged = await database.db
			.selectFrom('events')
			.select('id')
			.where('tenant_id', '=', tenant.id)
			.where('type', '=', 'customer.merged')
			.execute();
		expect(merged).toHaveLength(1);
		expect((await sendJobs(tenant.id)).map((j) => j.text)).toEqual([
			expect.stringContaining('39271043-0057-1'),
			'Готово: чат связан с заказом.',
		]);
		// The token is spent: a second press (or the "no" button) changes nothing.
		await ingest(tenant.id, tgPress(501, no!.data));
		expect(
			await database.db.selectFrom('merges').select('id').where('tenant_id', '=', tenant.id).execute(),
		).toHaveLength(1);
	});

	it('declining links nothing and spends the offer', async () => {
		const tenant = await makeTenant(database.db);
		const order = await marketplaceOrder(tenant.id, 'wildberries', '4412093381');
		const [first] = await ingest(tenant.id, tgText(502, '4412093381'));
		const offer = (await sendJobs(tenant.id))[0]!;
		await ingest(tenant.id, tgPress(502, offer.buttons![1]!.data));
		await ingest(tenant.id, tgPress(502, offer.buttons![0]!.data));
		expect(await rootOf(database.db, tenant.id, first!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, order.customerId),
		);
		expect(await sendJobs(tenant.id)).toHaveLength(1);
	});

	it('never offers on a guess: unknown, ill-formed, partial or ambiguous numbers', async () => {
		const tenant = await makeTenant(database.db);
		await marketplaceOrder(tenant.id, 'ozon', '11112222-0001-1');
		await marketplaceOrder(tenant.id, 'wildberries', '5550001112');
		await marketplaceOrder(tenant.id, 'yandex-market', '5550001112');
		for (const text of [
			'11112222-0001', // part of a posting number
			'11112222-0001-12', // a different posting
			'99998888-0001-1', // unknown
			'5550001112', // two orders carry it
			'мне нужно 3 штуки, 2 размера',
		])
			await ingest(tenant.id, tgText(503, text));
		expect(await sendJobs(tenant.id)).toHaveLength(0);
	});

	it('finds WooCommerce orders by their number only when it is written as an order number', async () => {
		const tenant = await makeTenant(database.db);
		await database.db.transaction().execute(
			async (tx) =>
				await ingestBatch(
					tx,
					tenant.id,
					{
						identifiers: [{ type: 'email', value: 'anna.k@mail.ru', verified: true }],
						events: [
							{
								type: 'order.created',
								channel: 'woocommerce',
								occurredAt: clock.now(),
								sourceKey: 'woocommerce:order:77:created',
								data: {
									source: 'woocommerce',
									orderId: '77',
									number: '1534',
									status: 'created',
									rawStatus: 'processing',
									currency: 'RUB',
									items: [],
								},
							},
						],
					},
					clock.now(),
				),
		);
		await ingest(tenant.id, tgText(504, 'Купила 1534 рубля назад'));
		expect(await sendJobs(tenant.id)).toHaveLength(0);
		await ingest(tenant.id, tgText(504, 'Мой заказ №1534'));
		expect((await sendJobs(tenant.id))[0]?.text).toContain('1534');
	});
});
