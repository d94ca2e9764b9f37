import type { Marketplace } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramUpdate } from '../../../../connector-server/src/channels/telegram/parse-update.ts';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { createConversationReactor } from '../../../../connector-server/src/core/conversations/conversation-reactor.ts';
import { decideReview, listReviews } from '../../../../connector-server/src/core/customers/merge-service.ts';
import { rootOf } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import { linkReactor } from '../../../../connector-server/src/core/links/link-reactor.ts';
import { issueLinkToken } from '../../../../connector-server/src/core/links/link-tokens.ts';
import {
	LOOKUPS_PER_DAY,
	TENANT_LOOKUPS_PER_HOUR,
} from '../../../../connector-server/src/core/links/order-claims.ts';
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
// A contact card: the sender's own (a request_contact answer) unless `userId` says whose it is.
const tgContact = (fromId: number, phone: string, userId: number | undefined = fromId) => {
	updateId += 1;
	return {
		update_id: updateId,
		message: {
			message_id: updateId,
			from: { id: fromId, is_bot: false, first_name: 'Anna' },
			chat: { id: fromId, first_name: 'Anna', type: 'private' },
			date: 1_795_000_000,
			contact: { phone_number: phone, first_name: 'Anna', ...(userId ? { user_id: userId } : {}) },
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
	const reactors = [
		linkReactor,
		createOrderLinkReactor(clock, { requestsContact: (channel) => channel === 'telegram' }),
		createConversationReactor(clock),
	];
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
		).map(
			(row) =>
				JSON.parse(row.payload) as {
					text: string;
					buttons?: { text: string; data: string }[];
					contactRequest?: { text: string };
				},
		);

	const eventsOf = async (tenantId: string, type: string) =>
		await database.db
			.selectFrom('events')
			.select(['customer_id', 'source_key', 'data'])
			.where('tenant_id', '=', tenantId)
			.where('type', '=', type)
			.orderBy('id')
			.execute();

	const claimsOf = async (tenantId: string) =>
		await database.db
			.selectFrom('order_claims')
			.select(['number', 'status', 'review_id'])
			.where('tenant_id', '=', tenantId)
			.orderBy('id')
			.execute();

	/** A WooCommerce guest order as the shop's parser stores it: its billing email and phone are claims. */
	async function wooGuestOrder(
		tenantId: string,
		orderId: string,
		number: string,
		phone: string,
		email = `buyer${orderId}@mail.ru`,
	) {
		const result = await database.db.transaction().execute(
			async (tx) =>
				await ingestBatch(
					tx,
					tenantId,
					{
						identifiers: [
							{ type: 'email', value: email },
							{ type: 'phone', value: phone },
						],
						claims: true,
						events: [
							{
								type: 'order.created',
								channel: 'woocommerce',
								occurredAt: clock.now(),
								sourceKey: `woocommerce:order:${orderId}:created`,
								data: {
									source: 'woocommerce',
									orderId,
									number,
									status: 'created',
									rawStatus: 'processing',
									currency: 'RUB',
									items: [{ name: 'Свеча «Липа»', quantity: 1, price: '990.00' }],
								},
							},
						],
					},
					clock.now(),
				),
		);
		return result.holderId;
	}

	it('offers a named Ozon posting once; "yes" opens a review, and the shop\'s approval links', async () => {
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

		// "Yes" is a claim: it joins nothing and opens a review for the shop instead.
		await ingest(tenant.id, tgPress(501, yes!.data));
		const chatRoot = await rootOf(database.db, tenant.id, first!.customerId);
		expect(chatRoot).not.toBe(await rootOf(database.db, tenant.id, order.customerId));
		expect(await eventsOf(tenant.id, 'customer.merged')).toEqual([]);
		const [review] = await listReviews(database.db, tenant.id);
		expect(review?.customerIds.sort()).toEqual([chatRoot, order.customerId].sort());
		expect(review?.reason).toContain('an order number is not proof');
		expect(review?.evidence.identifiers).toEqual([{ type: 'telegram', value: '501' }]);
		// The order's customer holds no phone: nothing a chat could prove, so no contact is asked for.
		const answer = (await sendJobs(tenant.id))[1]!;
		expect(answer.text).toContain('магазин проверит заявку');
		expect(answer.contactRequest).toBeUndefined();
		const notes = await eventsOf(tenant.id, 'note');
		expect(notes.map((n) => n.customer_id).sort()).toEqual([first!.customerId, order.customerId].sort());
		expect(JSON.parse(notes[0]!.data).text).toContain('Номер заказа — не доказательство');
		expect(await claimsOf(tenant.id)).toEqual([
			{ number: '39271043-0057-1', status: 'review', review_id: review!.id },
		]);
		// The token is spent: a second press (or the "no" button) changes nothing.
		await ingest(tenant.id, tgPress(501, yes!.data));
		await ingest(tenant.id, tgPress(501, no!.data));
		expect(await listReviews(database.db, tenant.id)).toHaveLength(1);
		expect(await sendJobs(tenant.id)).toHaveLength(2);

		// The shop approves: now they are one, and the chat hears it.
		clock.advance(1_000);
		await decideReview(database.db, tenant.id, review!.id, 'approve', clock.now());
		expect(await rootOf(database.db, tenant.id, first!.customerId)).toBe(
			await rootOf(database.db, tenant.id, order.customerId),
		);
		expect((await sendJobs(tenant.id)).map((j) => j.text).at(-1)).toBe('Готово: чат связан с заказом.');
		expect((await claimsOf(tenant.id))[0]?.status).toBe('joined');
	});

	it('the attack: a typed number and "yes" join nothing; a contact that is not the order\'s joins nothing', async () => {
		const tenant = await makeTenant(database.db, 'woocommerce');
		const victim = await wooGuestOrder(tenant.id, '901', '1234', '+7 916 555-44-33');
		const [chat] = await ingest(tenant.id, tgText(601, 'Где мой заказ 1234?'));
		const offer = (await sendJobs(tenant.id))[0]!;
		// The offer repeats only the number typed: no status, items or names.
		expect(offer.text).toBe('Заказ №1234 — ваш? Свяжем этот чат с заказом, чтобы мы видели его историю.');
		await ingest(tenant.id, tgPress(601, offer.buttons![0]!.data));
		const ask = (await sendJobs(tenant.id))[1]!;
		expect(ask.contactRequest).toEqual({ text: 'Поделиться номером' });
		expect(ask.text).not.toContain('555');
		expect(await listReviews(database.db, tenant.id)).toHaveLength(1);

		// Someone else's contact card (the victim's number, forwarded) proves nothing.
		await ingest(tenant.id, tgContact(601, '+79165554433', 777));
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, victim),
		);
		expect(await sendJobs(tenant.id)).toHaveLength(2);
		// Their own number is not the order's: still nothing joins, the review decides.
		await ingest(tenant.id, tgContact(601, '+7 903 111-22-33'));
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, victim),
		);
		expect((await sendJobs(tenant.id))[2]?.text).toContain('не совпадает');
		expect(await eventsOf(tenant.id, 'customer.merged')).toEqual([]);
		expect((await claimsOf(tenant.id)).map((c) => c.status)).toEqual(['review']);
		// Later shares find no claim waiting: one try.
		await ingest(tenant.id, tgContact(601, '+7 903 111-22-34'));
		expect(await sendJobs(tenant.id)).toHaveLength(3);
		// Rejected by the shop: the chat is told nothing, nothing links.
		const [review] = await listReviews(database.db, tenant.id);
		await decideReview(database.db, tenant.id, review!.id, 'reject', clock.now());
		expect(await sendJobs(tenant.id)).toHaveLength(3);
		expect((await claimsOf(tenant.id)).map((c) => c.status)).toEqual(['rejected']);
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, victim),
		);
	});

	it("the proof: the buyer shares their own contact with the order's phone and the chat joins at once", async () => {
		const tenant = await makeTenant(database.db, 'woocommerce');
		const buyer = await wooGuestOrder(tenant.id, '902', '1235', '8 (916) 555-44-34');
		const [chat] = await ingest(tenant.id, tgText(602, 'заказ №1235'));
		await ingest(tenant.id, tgPress(602, (await sendJobs(tenant.id))[0]!.buttons![0]!.data));
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, buyer),
		);
		await ingest(tenant.id, tgContact(602, '+7 916 555 44 34'));
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).toBe(
			await rootOf(database.db, tenant.id, buyer),
		);
		expect((await sendJobs(tenant.id)).map((j) => j.text).at(-1)).toBe('Готово: чат связан с заказом.');
		const sourceKey = `telegram:7:${updateId}`;
		const linked = (await eventsOf(tenant.id, 'identity.linked')).filter((e) =>
			e.source_key.startsWith(sourceKey),
		);
		expect(linked.map((e) => JSON.parse(e.data).method)).toEqual(['shared-contact']);
		const [merged] = await eventsOf(tenant.id, 'customer.merged');
		expect(JSON.parse(merged!.data).evidence.identifiers).toEqual([
			{ type: 'telegram', value: '602' },
			{ type: 'phone', value: '+79165554434' },
		]);
		const phone = await database.db
			.selectFrom('identities')
			.select('verified')
			.where('tenant_id', '=', tenant.id)
			.where('type', '=', 'phone')
			.executeTakeFirstOrThrow();
		expect(Number(phone.verified)).toBe(1);
		// The reviews this settled (the answer's, and the graph's for the claimed phone) are closed.
		expect(await listReviews(database.db, tenant.id)).toEqual([]);
		expect((await listReviews(database.db, tenant.id, 'approved')).length).toBeGreaterThanOrEqual(1);
		expect((await claimsOf(tenant.id)).map((c) => c.status)).toEqual(['joined']);
		expect((await eventsOf(tenant.id, 'note')).map((n) => JSON.parse(n.data).text).at(-1)).toContain(
			'телефон совпал',
		);
	});

	it('a phone from another guest order merged on claims proves nothing about this one', async () => {
		const tenant = await makeTenant(database.db, 'woocommerce');
		const victim = await wooGuestOrder(tenant.id, '903', '1236', '+7 916 555-44-35', 'vera@mail.ru');
		// The attacker checks out as a guest with the victim's email and their own phone: merged on claims.
		await wooGuestOrder(tenant.id, '904', '1237', '+7 903 111-22-35', 'vera@mail.ru');
		expect(await eventsOf(tenant.id, 'customer.merged')).toHaveLength(1);
		const [chat] = await ingest(tenant.id, tgText(607, 'заказ 1236'));
		await ingest(tenant.id, tgPress(607, (await sendJobs(tenant.id))[0]!.buttons![0]!.data));
		expect((await sendJobs(tenant.id))[1]?.contactRequest).toBeDefined();
		await ingest(tenant.id, tgContact(607, '+7 903 111-22-35'));
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).not.toBe(
			await rootOf(database.db, tenant.id, victim),
		);
		expect((await sendJobs(tenant.id))[2]?.text).toContain('не совпадает');
		expect(await eventsOf(tenant.id, 'customer.merged')).toHaveLength(1);
	});

	it("the parcel insert's QR (a token bound to the order) still joins directly", async () => {
		const tenant = await makeTenant(database.db);
		const order = await marketplaceOrder(tenant.id, 'ozon', '55501234-0001-1');
		// As the parcel insert issues it (http/routes/marketplaces.ts): the order's customer, its posting.
		const { token } = await issueLinkToken(
			database.db,
			{ tenantId: tenant.id, customerId: order.customerId, orderId: '55501234-0001-1', ttlSeconds: 3600 },
			clock.now(),
		);
		const [chat] = await ingest(tenant.id, tgText(603, `/start ${token}`));
		expect(await rootOf(database.db, tenant.id, chat!.customerId)).toBe(
			await rootOf(database.db, tenant.id, order.customerId),
		);
		expect(await listReviews(database.db, tenant.id)).toEqual([]);
	});

	it('throttles lookups per chat: a few distinct numbers a day, then silence; other chats unaffected', async () => {
		const tenant = await makeTenant(database.db);
		await marketplaceOrder(tenant.id, 'wildberries', '6600000001');
		for (let i = 0; i < LOOKUPS_PER_DAY; i += 1) await ingest(tenant.id, tgText(604, `${7700000000 + i}`));
		// Naming one already looked up costs nothing more.
		await ingest(tenant.id, tgText(604, '7700000000'));
		// A real order, but over the day's budget: no offer.
		await ingest(tenant.id, tgText(604, '6600000001'));
		expect(await sendJobs(tenant.id)).toHaveLength(0);
		expect(await claimsOf(tenant.id)).toHaveLength(LOOKUPS_PER_DAY);
		await ingest(tenant.id, tgText(605, '6600000001'));
		expect(await sendJobs(tenant.id)).toHaveLength(1);
		// A day later the chat may look again.
		clock.advance(24 * 3600 * 1000);
		await ingest(tenant.id, tgText(604, '6600000001'));
		expect(await sendJobs(tenant.id)).toHaveLength(2);
	});

	it('pauses offers for the whole shop when many chats look numbers up within an hour', async () => {
		const tenant = await makeTenant(database.db);
		await marketplaceOrder(tenant.id, 'wildberries', '6600000002');
		// Lookups of many throwaway accounts, as the reactor records them.
		for (let i = 0; i < TENANT_LOOKUPS_PER_HOUR; i += 1)
			await database.db
				.insertInto('order_claims')
				.values({
					id: newId(clock.now()),
					tenant_id: tenant.id,
					chat: `telegram:${CONNECTION}:${9000 + i}`,
					account: null,
					number: String(8800000000 + i),
					order_ref: null,
					order_customer_id: null,
					status: 'missed',
					review_id: null,
					created_at: clock.now(),
					updated_at: clock.now(),
				})
				.execute();
		await ingest(tenant.id, tgText(608, '6600000002'));
		expect(await sendJobs(tenant.id)).toHaveLength(0);
		clock.advance(3600 * 1000);
		await ingest(tenant.id, tgText(608, '6600000002'));
		expect(await sendJobs(tenant.id)).toHaveLength(1);
	});

	it('speaks English to an English tenant', async () => {
		const tenant = await makeTenant(database.db);
		await database.db
			.updateTable('tenants')
			.set({ settings: JSON.stringify({ language: 'en' }) })
			.where('id', '=', tenant.id)
			.execute();
		await marketplaceOrder(tenant.id, 'ozon', '44401234-0001-1');
		await ingest(tenant.id, tgText(606, 'where is 44401234-0001-1?'));
		const offer = (await sendJobs(tenant.id))[0]!;
		expect(offer.text).toBe(
			"Is order #44401234-0001-1 yours? We'll link this chat to the order so we can see its history.",
		);
		expect(offer.buttons?.map((b) => b.text)).toEqual(['Yes, it’s mine', 'No']);
		await ingest(tenant.id, tgPress(606, offer.buttons![0]!.data));
		expect((await sendJobs(tenant.id))[1]?.text).toContain('the shop will check your request');
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
