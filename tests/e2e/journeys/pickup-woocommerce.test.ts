import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../connector-server/src/core/clock.ts';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import {
	createWooCommerceCatalog,
	ProductUnavailableError,
	type WooChatOrder,
	type WooCommerceCatalog,
} from '../../../connector-server/src/hosts/woocommerce/index.ts';
import { createWooCommerceSites } from '../../../connector-server/src/http/routes/woocommerce-sites.ts';
import { applicationAuth, ensureWordPress, shop, type WordPressHarness } from '../../wordpress/harness.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from '../channels/stack.ts';

// This journey runs its own WordPress (folder, MariaDB, port), so it never meets another test's pairing.
const here = new URL('.', import.meta.url).pathname;
process.env.NITKA_WP_RUN ??= join(tmpdir(), 'nitka-wp-journey-pickup');
const sharedCache = join(here, '../../wordpress/.run/cache');
if (existsSync(sharedCache)) {
	mkdirSync(join(process.env.NITKA_WP_RUN, 'cache'), { recursive: true });
	for (const file of readdirSync(sharedCache).filter((f) => f.endsWith('.tgz'))) {
		const target = join(process.env.NITKA_WP_RUN, 'cache', file);
		if (!existsSync(target)) copyFileSync(join(sharedCache, file), target);
	}
}

interface WcOrder {
	id: number;
	status: string;
	total: string;
	customerId: number;
	createdVia: string;
	billing: { firstName: string; lastName: string; phone: string; email: string };
	items: { productId: number; name: string; quantity: number; total: string }[];
	shipping: { method_id: string; method_title: string; total: string; meta: Record<string, string> }[];
	meta: { key: string; location: string; channel: string };
	notes: string[];
	statusLabel: string | null;
}

// Journey 1 (issue 8), WooCommerce variant: the shop's products reach the chat through the plugin,
// a chat order becomes a real WooCommerce order with a local pickup line, the counter marks it ready
// and hands it over, and the WooCommerce order follows (Ready for pickup, Completed).
describe('journey 1 (WooCommerce): a chat order picked up in store', () => {
	let wp: WordPressHarness;
	let stack: ChannelStack;
	let catalog: WooCommerceCatalog;
	let deviceKey: string;
	let location: { id: string; name: string; address: string };
	let order: WooChatOrder;
	const products: Record<string, number> = {};
	const tag = `Пуэр${Date.now().toString(36)}`;
	const ANNA = 7_301;
	let anna: ReturnType<ChannelStack['tg']['user']>;
	let anna_: { id: string };
	let chatOrderNumber: string;
	let nitkaOrderId: string;
	let keySeq = 0;

	const counter = async (path: string, body?: unknown) => {
		const response = await fetch(`${stack.server.url}/api/v1/counter${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: {
				authorization: `Bearer ${deviceKey}`,
				'content-type': 'application/json',
				...(body === undefined ? {} : { 'idempotency-key': `pickup-wc-${++keySeq}` }),
			},
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const wpRest = async (path: string, body: unknown) => {
		const response = await fetch(`${wp.url}/wp-json/nitka/v1${path}`, {
			method: 'POST',
			headers: { authorization: applicationAuth(wp), 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const wcOrder = async (id: string) => await shop<WcOrder>('order', { id: Number(id) });

	beforeAll(async () => {
		[wp, stack] = await Promise.all([ensureWordPress(), startChannelStack({ public: true })]);
		await shop('reset');
		await shop('delete-products');
		const connected = await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token });
		expect(connected.status).toBe(201);
		anna = stack.tg.user({ id: ANNA, first_name: 'Анна', last_name: 'Петрова' });
		const server = stack.server;
		catalog = createWooCommerceCatalog(createWooCommerceSites(server.db, server.box), {
			now: () => server.clock.now(),
		});
	}, 300_000);
	afterAll(async () => {
		await stack?.close();
	});

	it('the shop pairs its WooCommerce site, sets up a store and a counter tablet', async () => {
		const { key } = await issueApiKey(stack.server.db, { tenantId: stack.tenantId }, 'wp', Date.now());
		const issued = await fetch(`${stack.server.url}/api/v1/woocommerce/pairing-codes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({ tenantId: stack.tenantId }),
		});
		expect(issued.status).toBe(201);
		const { code } = (await issued.json()) as { code: string };
		const paired = await wpRest('/pair', { url: stack.server.url, code });
		expect(paired.status).toBe(200);
		expect((paired.body.pairing as { tenantId: string }).tenantId).toBe(stack.tenantId);

		const store = await stack.api<{ id: string }>('POST', '/locations', {
			name: 'Чайная на Покровке',
			address: 'Москва, Покровка, 12',
			kind: 'store',
		});
		expect(store.status).toBe(201);
		location = { id: store.body.id, name: 'Чайная на Покровке', address: 'Москва, Покровка, 12' };
		const device = await stack.api<{ key: string }>('POST', `/locations/${location.id}/devices`, {
			name: 'Касса 1',
		});
		expect(device.status).toBe(201);
		deviceKey = device.body.key;
	});

	it('the catalog comes from WooCommerce: published, purchasable, in stock; search and paging', async () => {
		for (const [name, price, extra] of [
			[`${tag} Шу 2015`, '1990.00', {}],
			[`${tag} Шен 2018`, '2450.50', {}],
			[`${tag} Габа`, '990', { stock: 3 }],
			[`${tag} распродан`, '500', { stockStatus: 'outofstock' }],
			[`${tag} черновик`, '500', { status: 'draft' }],
		] as const) {
			products[name.slice(tag.length + 1)] = (
				await shop<{ id: number }>('create-product', { name, price, ...extra })
			).id;
		}
		const first = await catalog.listProducts(stack.tenantId, { search: tag, perPage: 2 });
		expect(first.products.map((p) => p.name)).toEqual([`${tag} Габа`, `${tag} Шен 2018`]);
		expect(first.products[1]).toMatchObject({ price: '2450.50', currency: 'RUB', sku: '' });
		expect(first.products[0]?.stockQuantity).toBe(3);
		expect(first.products[0]?.permalink).toMatch(new RegExp(`^${wp.url}/`));
		expect(first.totalPages).toBe(2);
		const second = await catalog.listProducts(stack.tenantId, { search: tag, perPage: 2, page: 2 });
		expect(second.products.map((p) => p.name)).toEqual([`${tag} Шу 2015`]);
		const byIds = await catalog.listProducts(stack.tenantId, {
			ids: [String(products.распродан), String(products['Шу 2015'])],
		});
		expect(byIds.products.map((p) => p.id)).toEqual([products['Шу 2015']]);
	});

	it('a chat order becomes a WooCommerce order with a local pickup line, once per key, without a user', async () => {
		const users = (await shop<{ users: number }>('count-users')).users;
		const input = {
			idempotencyKey: `chat-order:${newId(Date.now())}`,
			customer: { firstName: 'Анна', phone: '+7 912 555-44-33' },
			items: [
				{ productId: String(products['Шу 2015']), quantity: 2 },
				{ productId: String(products.Габа), quantity: 1 },
			],
			pickup: { locationId: location.id, name: location.name, address: location.address },
			channel: 'telegram' as const,
		};
		order = await catalog.createOrder(stack.tenantId, input);
		expect(order).toMatchObject({
			status: 'processing',
			total: '4970.00',
			currency: 'RUB',
			customerId: 0,
			duplicate: false,
			pickup: { name: location.name, address: location.address },
		});
		const wc = await wcOrder(order.orderId);
		expect(wc.createdVia).toBe('nitka');
		expect(wc.billing).toMatchObject({ firstName: 'Анна', phone: '+79125554433' });
		expect(wc.items).toEqual([
			{ productId: products['Шу 2015'], name: `${tag} Шу 2015`, quantity: 2, total: '3980.00' },
			{ productId: products.Габа, name: `${tag} Габа`, quantity: 1, total: '990.00' },
		]);
		expect(wc.shipping).toEqual([
			expect.objectContaining({
				method_id: 'pickup_location',
				total: '0',
				meta: expect.objectContaining({ pickup_location: location.name, pickup_address: location.address }),
			}),
		]);
		expect(wc.meta).toEqual({ key: input.idempotencyKey, location: location.id, channel: 'telegram' });
		expect(wc.notes).toContain(`Created from a Telegram chat by Nitka; to be picked up at ${location.name}.`);
		expect((await shop<{ users: number }>('count-users')).users).toBe(users);

		// The outbox retries a job it is unsure about: the same key gives the same order back.
		const again = await catalog.createOrder(stack.tenantId, input);
		expect(again).toMatchObject({ orderId: order.orderId, duplicate: true });
		expect(await shop<number[]>('orders-by-key', { key: input.idempotencyKey })).toEqual([
			Number(order.orderId),
		]);
		// Two deliveries of one job at the same moment (a claim taken back mid-call): still one order.
		const raced = { ...input, idempotencyKey: `chat-order:${newId(Date.now())}` };
		const [a, b] = await Promise.all([
			catalog.createOrder(stack.tenantId, raced),
			catalog.createOrder(stack.tenantId, raced),
		]);
		expect(a.orderId).toBe(b.orderId);
		expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
		expect(await shop<number[]>('orders-by-key', { key: raced.idempotencyKey })).toHaveLength(1);

		// A product that sold out is named, and no order is made.
		const refused = await catalog
			.createOrder(stack.tenantId, {
				...input,
				idempotencyKey: `chat-order:${newId(Date.now())}`,
				items: [{ productId: String(products.распродан), quantity: 1 }],
			})
			.catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(ProductUnavailableError);
		expect((refused as ProductUnavailableError).productIds).toEqual([String(products.распродан)]);
	});

	it('Anna orders in Telegram: catalog from the shop, product, quantity, store, confirm', async () => {
		anna.sendText('/catalog');
		const page = await eventually(() => anna.received.find((m) => m.text?.startsWith('Каталог')));
		expect(page.text).toContain(`1. ${tag} Габа — 990 ₽`);
		expect(page.text).toContain(`3. ${tag} Шу 2015 — 1 990 ₽`);
		expect(page.text).not.toContain('распродан');
		expect(page.text).toContain(`${wp.url}/`); // the product's page in the shop
		anna.pressButton(page.message_id, `co:add:${products['Шу 2015']}`);
		const quantity = await eventually(() => anna.received.find((m) => m.text?.includes('Сколько штук')));
		anna.pressButton(quantity.message_id, 'co:qty:2');
		const where = await eventually(() => anna.received.find((m) => m.text?.includes('Где заберёте')));
		anna.pressButton(where.message_id, `co:loc:${location.id}`);
		const check = await eventually(() => anna.received.find((m) => m.text?.startsWith('Проверьте заказ')));
		expect(check.text).toContain('Итого: 3 980 ₽');
		expect(check.text).toContain(`Самовывоз: ${location.name}, ${location.address}`);
		anna.pressButton(check.message_id, 'co:ok');
		const accepted = await eventually(() => anna.received.find((m) => m.text?.includes('принят')), 20_000);
		chatOrderNumber = /№(\d+)/.exec(accepted.text ?? '')?.[1] ?? '';
		expect(accepted.text).toBe(
			`Заказ №${chatOrderNumber} принят! Соберём его в «${location.name}» и напишем сюда, когда он будет готов к выдаче.`,
		);

		const wc = await wcOrder(chatOrderNumber);
		expect(wc).toMatchObject({ status: 'processing', total: '3980.00', customerId: 0, createdVia: 'nitka' });
		expect(wc.billing).toMatchObject({ firstName: 'Анна', lastName: 'Петрова' });
		expect(wc.items).toEqual([
			{ productId: products['Шу 2015'], name: `${tag} Шу 2015`, quantity: 2, total: '3980.00' },
		]);
		expect(wc.shipping[0]).toMatchObject({
			method_id: 'pickup_location',
			meta: { pickup_location: location.name, pickup_address: location.address },
		});
		expect(wc.meta).toMatchObject({
			key: expect.stringMatching(/^chat-order:/),
			location: location.id,
			channel: 'telegram',
		});
		expect(wc.notes).toContain(`Created from a Telegram chat by Nitka; to be picked up at ${location.name}.`);
		anna_ = await customerBy(stack, 'telegram', String(ANNA));
	});

	it('the counter marks it ready: Anna is told once, the WooCommerce order is "Ready for pickup"', async () => {
		const list = await counter('/pickups?state=to_prepare');
		const pickup = (list.body.items as { orderId: string; number: string; source: string }[]).find(
			(p) => p.number === chatOrderNumber,
		);
		expect(pickup).toMatchObject({ source: 'woocommerce' });
		nitkaOrderId = pickup?.orderId ?? '';
		expect((await counter(`/pickups/${nitkaOrderId}/ready`, {})).status).toBe(200);
		const told = await eventually(() => anna.received.find((m) => m.text?.includes('готов!')));
		expect(told.text).toBe(
			`Заказ №${chatOrderNumber} готов! Забрать его можно в «${location.name}» (${location.address}). На кассе покажите QR-код из «Моя карта» или назовите номер телефона.`,
		);
		const ready = await eventually(async () => {
			const wc = await wcOrder(chatOrderNumber);
			return wc.status === 'nitka-ready' ? wc : undefined;
		}, 20_000);
		expect(ready.statusLabel).toBe('Ready for pickup');
		expect(ready.notes.join('\n')).toContain(`Ready for pickup at ${location.name} (marked at the counter).`);

		// The shop reports its own order changes back (the plugin's queue; WP-Cron is off here): the
		// status it took from the counter tells Anna nothing twice.
		await shop('deliver');
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(anna.received.filter((m) => m.text?.includes('готов!'))).toHaveLength(1);
		// …and its report joins Anna's timeline: the chat order's creation is the one the plugin's events anchor on.
		await eventually(async () =>
			(await timeline(stack, anna_.id)).some(
				(e) =>
					e.type === 'order.status_changed' &&
					e.channel === 'woocommerce' &&
					e.data.rawStatus === 'nitka-ready',
			),
		);
	});

	it('Anna shows her card at the counter and collects it: thanked in the chat, the order Completed', async () => {
		const card = await stack.api<{ token: string }>('POST', `/customers/${anna_.id}/card-token`);
		expect(card.status).toBe(201);
		const identified = await counter('/identify', { qr: card.body.token });
		expect(identified.status).toBe(200);
		expect(identified.body.pickups).toEqual([
			expect.objectContaining({ orderId: nitkaOrderId, number: chatOrderNumber, state: 'ready' }),
		]);
		const collected = await counter(`/customers/${anna_.id}/pickups`, { orderId: nitkaOrderId });
		expect(collected.status).toBe(201);
		const thanks = await eventually(() => anna.received.find((m) => m.text?.startsWith('Спасибо')));
		expect(thanks.text).toBe(
			`Спасибо, что забрали заказ №${chatOrderNumber} в «${location.name}»! Будем рады видеть вас снова.`,
		);
		const done = await eventually(async () => {
			const wc = await wcOrder(chatOrderNumber);
			return wc.status === 'completed' ? wc : undefined;
		}, 20_000);
		expect(done.notes.join('\n')).toContain(
			`Collected by the customer at ${location.name} (confirmed at the counter).`,
		);
		await shop('deliver');
		const events = await eventually(async () => {
			const all = await timeline(stack, anna_.id);
			return all.some((e) => e.channel === 'woocommerce' && e.data.rawStatus === 'completed')
				? all
				: undefined;
		});
		const mine = events.filter(
			(e) => e.data.orderId === chatOrderNumber || e.data.orderId === nitkaOrderId || e.type === 'message.in',
		);
		expect(mine.map((e) => e.type)).toEqual(
			expect.arrayContaining(['message.in', 'order.created', 'order.status_changed', 'pos.pickup']),
		);
		const statuses = events
			.filter((e) => e.type === 'order.status_changed' && e.data.orderId === chatOrderNumber)
			.map((e) => e.data.to);
		expect(statuses).toEqual(expect.arrayContaining(['ready_for_pickup', 'delivered']));
		expect(
			events.filter((e) => e.type === 'order.created' && e.data.orderId === chatOrderNumber),
		).toHaveLength(1);
	});

	it('a product sold out before the order is confirmed: Anna is told which, no order is made', async () => {
		anna.sendText('каталог');
		const page = await eventually(() => anna.received.filter((m) => m.text?.startsWith('Каталог')).at(1));
		anna.pressButton(page.message_id, `co:add:${products.Габа}`);
		const quantity = await eventually(() =>
			anna.received.filter((m) => m.text?.includes('Сколько штук')).at(1),
		);
		anna.pressButton(quantity.message_id, 'co:qty:1');
		const where = await eventually(() => anna.received.filter((m) => m.text?.includes('Где заберёте')).at(1));
		anna.pressButton(where.message_id, `co:loc:${location.id}`);
		const check = await eventually(() =>
			anna.received.filter((m) => m.text?.startsWith('Проверьте заказ')).at(1),
		);
		await shop('set-stock', { id: products.Габа, stockStatus: 'outofstock' });
		anna.pressButton(check.message_id, 'co:ok');
		const refused = await eventually(
			() => anna.received.find((m) => m.text?.startsWith('Не получилось')),
			20_000,
		);
		expect(refused.text).toContain(`«${tag} Габа» больше нет в наличии`);
	});
});
