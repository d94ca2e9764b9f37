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

	it('the counter marks it ready and hands it over; the WooCommerce order follows', async () => {
		// The chat customer and their pickup, as the ordering conversation records them.
		const ivan = stack.tg.user({ id: 7_301, first_name: 'Анна' });
		await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token });
		ivan.sendText('Здравствуйте! Хочу пуэр');
		const customer = await customerBy(stack, 'telegram', '7301');
		const at = Date.now();
		const orderRowId = newId(at);
		await stack.server.db
			.insertInto('orders')
			.values({
				id: orderRowId,
				tenant_id: stack.tenantId,
				source: 'woocommerce',
				external_id: order.orderId,
				connection_id: null,
				number: order.number,
				status: 'awaiting_packaging',
				raw_status: 'processing',
				status_at: at,
				customer_id: customer.id,
				buyer_known: 1,
				created_at: at,
				updated_at: at,
			})
			.execute();
		await stack.server.db
			.insertInto('order_pickups')
			.values({
				tenant_id: stack.tenantId,
				order_id: orderRowId,
				location_id: location.id,
				customer_id: customer.id,
				state: 'to_prepare',
				created_at: at,
				updated_at: at,
				ready_at: null,
				collected_at: null,
				cancelled_at: null,
				collected_device_id: null,
			})
			.execute();

		const list = await counter('/pickups?state=to_prepare');
		expect((list.body.items as { orderId: string; number: string }[]).map((p) => p.number)).toContain(
			order.number,
		);
		const ready = await counter(`/pickups/${orderRowId}/ready`, {});
		expect(ready.status).toBe(200);
		const readyOrder = await eventually(async () => {
			const wc = await wcOrder(order.orderId);
			return wc.status === 'nitka-ready' ? wc : undefined;
		}, 20_000);
		expect(readyOrder.statusLabel).toBe('Ready for pickup');
		expect(readyOrder.notes.join('\n')).toContain('Ready for pickup at');

		const card = await stack.api<{ token: string }>('POST', `/customers/${customer.id}/card-token`);
		expect(card.status).toBe(201);
		const identified = await counter('/identify', { qr: card.body.token });
		expect(identified.status).toBe(200);
		expect((identified.body.pickups as { orderId: string; state: string }[])[0]).toMatchObject({
			orderId: orderRowId,
			state: 'ready',
		});
		const collected = await counter(`/customers/${customer.id}/pickups`, { orderId: orderRowId });
		expect(collected.status).toBe(201);
		const done = await eventually(async () => {
			const wc = await wcOrder(order.orderId);
			return wc.status === 'completed' ? wc : undefined;
		}, 20_000);
		expect(done.notes.join('\n')).toContain('Collected by the customer at');

		const events = await timeline(stack, customer.id);
		expect(events.map((e) => e.type)).toEqual(
			expect.arrayContaining(['order.status_changed', 'pos.pickup', 'message.in']),
		);
	});
});
