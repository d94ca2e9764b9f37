import type { IdentifierInput } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostLinks } from '../../../../../connector-server/src/core/hosts/host-links.ts';
import {
	findCustomerByIdentifier,
	rootOf,
} from '../../../../../connector-server/src/core/identity/identity-graph.ts';
import { ingestBatch } from '../../../../../connector-server/src/core/ingest/ingest.ts';
import { linkReactor } from '../../../../../connector-server/src/core/links/link-reactor.ts';
import { issueLinkToken } from '../../../../../connector-server/src/core/links/link-tokens.ts';
import type { InboundBatch } from '../../../../../connector-server/src/core/ports/inbound.ts';
import type { Db } from '../../../../../connector-server/src/db/database.ts';
import { parseShopEvent } from '../../../../../connector-server/src/hosts/woocommerce/index.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../support/databases.ts';
import { makeTenant } from '../../../../support/fixtures.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const context = { connectionId: null, receivedAt: T0, settings: {} };

let sequence = 0;

/** One shop event as the plugin queues it, through the WooCommerce parser and ingest (with deep links). */
async function shopEvent(db: Db, tenantId: string, payload: Record<string, unknown>, at: number) {
	const batches = parseShopEvent(payload, { ...context, tenantId });
	const results = [];
	for (const batch of batches) {
		results.push(await db.transaction().execute((tx) => ingestBatch(tx, tenantId, batch, at, [linkReactor])));
	}
	return results[0]!;
}

function order(input: {
	orderId: number;
	customerId?: number;
	email?: string;
	phone?: string;
	status?: string;
	modifiedAt?: number;
	trigger?: string;
	previousStatus?: string;
}) {
	return {
		kind: 'order',
		trigger: input.trigger ?? 'created',
		...(input.previousStatus ? { previousStatus: input.previousStatus } : {}),
		order: {
			orderId: String(input.orderId),
			number: String(input.orderId),
			status: input.status ?? 'processing',
			total: '990.00',
			currency: 'RUB',
			customerId: input.customerId ?? 0,
			billing: { firstName: 'Анна', lastName: 'Петрова', email: input.email ?? '', phone: input.phone ?? '' },
			items: [{ name: 'Скатерть', quantity: 1, total: '990.00', sku: 'S-1' }],
			createdAt: Math.floor(T0 / 1000) + input.orderId,
			modifiedAt: input.modifiedAt ?? Math.floor(T0 / 1000) + input.orderId,
		},
	};
}

/** A messenger update, optionally carrying a deep-link token (Telegram /start). */
async function messenger(
	db: Db,
	tenantId: string,
	identifiers: IdentifierInput[],
	at: number,
	linkToken?: string,
) {
	sequence += 1;
	const batch: InboundBatch = {
		identifiers,
		events: [
			{
				type: 'message.in',
				channel: 'telegram',
				occurredAt: at,
				sourceKey: `test:tg:${tenantId}:${sequence}`,
				data: {
					channel: 'telegram',
					connectionId: 'c',
					chatId: String(sequence),
					externalId: String(sequence),
					text: linkToken ? `/start ${linkToken}` : 'hello',
					attachments: [],
				},
				...(linkToken ? { linkToken } : {}),
			},
		],
	};
	return await db.transaction().execute((tx) => ingestBatch(tx, tenantId, batch, at, [linkReactor]));
}

const tg = (id: number) => ({ type: 'telegram' as const, value: String(id), verified: true });

async function openReviews(db: Db, tenantId: string) {
	return await db
		.selectFrom('merge_reviews')
		.select(['customer_a', 'customer_b', 'reason'])
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'open')
		.execute();
}

async function rootOfTelegram(db: Db, tenantId: string, id: number) {
	return await findCustomerByIdentifier(db, tenantId, 'telegram', String(id));
}

/** Follows a thank-you page link: a token for the order, then /start from the messenger. */
async function thankYouLink(db: Db, tenantId: string, orderId: number, telegramId: number, at: number) {
	const issued = await issueLinkToken(db, { tenantId, orderId: String(orderId), ttlSeconds: 3600 }, at);
	await messenger(db, tenantId, [tg(telegramId)], at + 1, issued.token);
	return issued;
}

describe.each(dialects)('WooCommerce guest identifiers are claims on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it("a guest order with a customer's email and phone neither joins them nor lets a deep link take their timeline", async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const email = 'anna@lenta-shop.ru';
		const phone = '+79121234567';
		// The victim: a logged-in shop customer whose Telegram is joined through their own order's link.
		await shopEvent(db, tenantId, order({ orderId: 100, customerId: 7, email, phone }), T0);
		await thankYouLink(db, tenantId, 100, 1001, T0 + 10);
		const victim = await rootOfTelegram(db, tenantId, 1001);
		expect(victim).toBe(await findCustomerByIdentifier(db, tenantId, 'woocommerce_customer', '7'));

		// The attacker checks out as a guest with the victim's email and phone.
		const attack = await shopEvent(db, tenantId, order({ orderId: 101, email, phone }), T0 + 100);
		expect(attack.customerId).not.toBe(victim);
		expect(attack.reviews).toHaveLength(1);
		const reviews = await openReviews(db, tenantId);
		expect(reviews.map((r) => [r.customer_a, r.customer_b].sort())).toEqual([
			[attack.customerId, victim].sort(),
		]);
		// The identifiers stay with the victim; the order stays on a customer of its own.
		expect(await findCustomerByIdentifier(db, tenantId, 'email', email)).toBe(victim);

		// The thank-you page's deep link joins the attacker's Telegram to the order only.
		const issued = await thankYouLink(db, tenantId, 101, 6666, T0 + 200);
		expect(issued.customerId).toBe(attack.customerId);
		expect(await rootOfTelegram(db, tenantId, 6666)).toBe(attack.customerId);
		const victimTelegrams = await db
			.selectFrom('identities as i')
			.innerJoin('customers as c', 'c.id', 'i.customer_id')
			.select('i.value')
			.where('i.tenant_id', '=', tenantId)
			.where('c.root_id', '=', victim!)
			.where('i.type', '=', 'telegram')
			.execute();
		expect(victimTelegrams.map((r) => r.value)).toEqual(['1001']);

		// Later deliveries of the guest order follow it, not the identifiers it claims.
		const later = await shopEvent(
			db,
			tenantId,
			order({
				orderId: 101,
				email,
				phone,
				trigger: 'status_changed',
				previousStatus: 'processing',
				status: 'completed',
				modifiedAt: Math.floor(T0 / 1000) + 500,
			}),
			T0 + 300,
		);
		expect(later.customerId).toBe(attack.customerId);
		expect(await openReviews(db, tenantId)).toHaveLength(1);
	});

	it('a logged-in customer is as strong as before: their orders and their deep link join one customer', async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const first = await shopEvent(
			db,
			tenantId,
			order({ orderId: 200, customerId: 9, email: 'oleg@lenta-shop.ru' }),
			T0,
		);
		const second = await shopEvent(
			db,
			tenantId,
			order({ orderId: 201, customerId: 9, email: 'oleg.new@lenta-shop.ru', phone: '+79125550000' }),
			T0 + 10,
		);
		expect(second.customerId).toBe(first.customerId);
		await thankYouLink(db, tenantId, 201, 2002, T0 + 20);
		expect(await rootOfTelegram(db, tenantId, 2002)).toBe(first.customerId);
		expect(await openReviews(db, tenantId)).toEqual([]);
	});

	it("the other direction: an attacker's messenger holding a claimed email never receives the victim's orders", async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const email = 'irina@lenta-shop.ru';
		const phone = '+79127770000';
		// The attacker claims the victim's email and phone first and joins their own Telegram through the order.
		const claimed = await shopEvent(db, tenantId, order({ orderId: 300, email, phone }), T0);
		await thankYouLink(db, tenantId, 300, 6667, T0 + 10);
		const attacker = await rootOfTelegram(db, tenantId, 6667);
		expect(attacker).toBe(await rootOf(db, tenantId, claimed.customerId));

		// The victim's guest order, their registration and their Telegram contact all stay away from it.
		const guest = await shopEvent(db, tenantId, order({ orderId: 301, email, phone }), T0 + 100);
		expect(guest.customerId).not.toBe(attacker);
		const registered = await shopEvent(
			db,
			tenantId,
			{
				kind: 'customer',
				trigger: 'registered',
				customer: { customerId: 11, email, phone, firstName: 'Ирина', lastName: '', registeredAt: 1 },
			},
			T0 + 200,
		);
		expect(registered.customerId).not.toBe(attacker);
		const contact = await messenger(
			db,
			tenantId,
			[tg(3003), { type: 'phone', value: phone, verified: true }],
			T0 + 300,
		);
		expect(contact.customerId).not.toBe(attacker);
		expect(await rootOfTelegram(db, tenantId, 6667)).toBe(attacker);
		expect((await openReviews(db, tenantId)).length).toBeGreaterThanOrEqual(3);

		// Nor does the victim's own thank-you link put their Telegram next to the attacker's.
		await thankYouLink(db, tenantId, 301, 3004, T0 + 400);
		expect(await rootOfTelegram(db, tenantId, 3004)).not.toBe(attacker);
	});

	it('a Telegram contact never merges into a tree built on a claim: the first claimer keeps nothing of the victim', async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const phone = '+79128880000';
		// The attacker claims the phone first (no messenger yet); the victim shares it from Telegram.
		const claimed = await shopEvent(db, tenantId, order({ orderId: 400, phone }), T0);
		const contact = await messenger(
			db,
			tenantId,
			[tg(4004), { type: 'phone', value: phone, verified: true }],
			T0 + 10,
		);
		expect(contact.customerId).not.toBe(await rootOf(db, tenantId, claimed.customerId));
		expect(contact.reviews).toHaveLength(1);
		// The attacker's later deep link reaches their own order only.
		await thankYouLink(db, tenantId, 400, 6668, T0 + 20);
		expect(await rootOfTelegram(db, tenantId, 6668)).not.toBe(await rootOfTelegram(db, tenantId, 4004));
	});

	it("repeat guests share a timeline provisionally; a deep link joins the messenger to its own order's customer only", async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const email = 'guest@lenta-shop.ru';
		const first = await shopEvent(db, tenantId, order({ orderId: 500, email }), T0);
		const second = await shopEvent(db, tenantId, order({ orderId: 501, email }), T0 + 10);
		// Claims with claims: one timeline, no review to answer.
		expect(second.customerId).toBe(first.customerId);
		expect(await openReviews(db, tenantId)).toEqual([]);
		// Whoever follows the second order's link proves that order only: the merge made on a claim is undone.
		const issued = await thankYouLink(db, tenantId, 501, 5005, T0 + 20);
		const joined = await rootOfTelegram(db, tenantId, 5005);
		expect(joined).not.toBe(first.customerId);
		expect(await rootOf(db, tenantId, issued.customerId)).toBe(joined);
		const reviews = await openReviews(db, tenantId);
		expect(reviews).toHaveLength(1);
		const orders = await db
			.selectFrom('events')
			.innerJoin('customers as c', 'c.id', 'events.customer_id')
			.select(['events.source_key', 'c.root_id'])
			.where('events.tenant_id', '=', tenantId)
			.where('events.type', '=', 'order.created')
			.execute();
		const rootOfOrder = (id: number) =>
			orders.find((o) => o.source_key === `woocommerce:order:${id}:created`)?.root_id;
		expect(rootOfOrder(501)).toBe(joined);
		expect(rootOfOrder(500)).toBe(first.customerId);
	});

	it('a known guest customer addressed by one of their claimed identifiers (as the counter does) gets the events', async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const guest = await shopEvent(db, tenantId, order({ orderId: 700, email: 'visit@lenta-shop.ru' }), T0);
		const visit = await db.transaction().execute((tx) =>
			ingestBatch(
				tx,
				tenantId,
				{
					identifiers: [{ type: 'email', value: 'visit@lenta-shop.ru', verified: false }],
					events: [
						{
							type: 'note',
							channel: 'nitka',
							occurredAt: T0 + 10,
							sourceKey: `test:visit:${tenantId}`,
							data: { text: 'Picked up at the counter', author: 'Counter' },
						},
					],
				},
				T0 + 10,
			),
		);
		expect(visit.customerId).toBe(guest.customerId);
		expect(visit.reviews).toEqual([]);
	});

	it('Bitrix24: a contact anchored on a guest customer attaches there; its phone claimed by a guest opens a review', async () => {
		const { db } = database;
		const { id: tenantId } = await makeTenant(db, 'woocommerce');
		const clock = { now: () => T0 + 1000 };
		const links = createHostLinks(db, clock as never);
		const guest = await shopEvent(db, tenantId, order({ orderId: 600, email: 'b24@lenta-shop.ru' }), T0);
		// The connector creates the Bitrix24 contact for this customer: it anchors there.
		const anchored = await links.linkContact(tenantId, {
			type: 'bitrix24_contact',
			contactId: '61',
			identifiers: [],
			customerId: guest.customerId,
		});
		expect(anchored).toBe(guest.customerId);
		// A CRM contact typed with a phone a guest claimed is not joined to that guest without a review.
		const claimed = await shopEvent(db, tenantId, order({ orderId: 601, phone: '+79123330000' }), T0 + 10);
		const contact = await links.linkContact(tenantId, {
			type: 'bitrix24_contact',
			contactId: '62',
			identifiers: [{ type: 'phone', value: '+79123330000' }],
		});
		expect(contact).not.toBe(await rootOf(db, tenantId, claimed.customerId));
		expect(await openReviews(db, tenantId)).toHaveLength(1);
	});
});
