import { describe, expect, it } from 'vitest';
import {
	PermanentDeliveryError,
	TransientDeliveryError,
} from '../../../../../connector-server/src/core/ports/outbound.ts';
import type { WooCommerceSite } from '../../../../../connector-server/src/core/ports/woocommerce-sites.ts';
import {
	createWooCommerceCatalog,
	pluginIdempotencyKey,
} from '../../../../../connector-server/src/hosts/woocommerce/catalog.ts';
import {
	mapPickupEvents,
	PICKUP_JOB_KIND,
} from '../../../../../connector-server/src/hosts/woocommerce/pickup-sync.ts';
import {
	HostOrderStateError,
	ProductUnavailableError,
	SiteUnavailableError,
} from '../../../../../connector-server/src/hosts/woocommerce/plugin-api.ts';
import { verify } from '../../../../../connector-server/src/hosts/woocommerce/signature.ts';

const NOW = 1_760_000_000_000;
const site: WooCommerceSite = {
	siteId: '01JSITE0000000000000000000',
	tenantId: 't1',
	siteUrl: 'https://shop.example',
	callbackUrl: 'https://shop.example/wp-json/nitka/v1/connector',
	secret: 'shared-secret',
};

function harness(answer: (url: URL, init: RequestInit) => Response | Promise<Response>, found = site) {
	const calls: { url: URL; init: RequestInit }[] = [];
	const fetchImpl = (async (url: URL, init: RequestInit) => {
		calls.push({ url, init });
		return await answer(url, init);
	}) as unknown as typeof fetch;
	const catalog = createWooCommerceCatalog(
		{ byTenant: async (tenantId) => (tenantId === 't1' ? found : null) },
		{ now: () => NOW, fetchImpl },
	);
	return { catalog, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const product = {
	id: 12,
	name: 'Чай',
	sku: 'T-1',
	price: '1990.00',
	currency: 'RUB',
	permalink: 'https://shop.example/product/tea/',
	imageUrl: null,
	stockQuantity: null,
};

describe('WooCommerce catalog client', () => {
	it('signs a POST to the REST route with the body, as the plugin verifies it', async () => {
		const { catalog, calls } = harness(() =>
			json(200, { products: [product], page: 1, perPage: 10, total: 1, totalPages: 1, currency: 'RUB' }),
		);
		const page = await catalog.listProducts('t1', { search: '  чай ', perPage: 500 });
		expect(page.products[0]?.name).toBe('Чай');
		const [call] = calls;
		expect(call?.url.href).toBe('https://shop.example/wp-json/nitka/v1/connector/products');
		expect(JSON.parse(String(call?.init.body))).toEqual({ search: 'чай', page: 1, perPage: 50 });
		const headers = call?.init.headers as Record<string, string>;
		expect(headers['X-Nitka-Site']).toBe(site.siteId);
		const verdict = verify(
			site.secret,
			{
				method: 'POST',
				path: '/nitka/v1/connector/products',
				timestamp: headers['X-Nitka-Timestamp'] ?? '',
				nonce: headers['X-Nitka-Nonce'] ?? '',
				body: String(call?.init.body),
			},
			headers['X-Nitka-Signature'] ?? '',
			NOW,
		);
		expect(verdict).toEqual({ ok: true });
	});

	it('signs the rest_route when the site has no pretty permalinks', async () => {
		const plain = { ...site, callbackUrl: 'https://shop.example/?rest_route=/nitka/v1/connector' };
		const { catalog, calls } = harness(
			() => json(200, { orderId: '5', status: 'nitka-ready', changed: true }),
			plain,
		);
		await catalog.moveOrder('t1', '5', 'ready');
		expect(calls[0]?.url.searchParams.get('rest_route')).toBe('/nitka/v1/connector/orders/5/status');
	});

	it('tells transient failures from permanent ones', async () => {
		const failure = async (response: () => Response | Promise<Response>) =>
			await harness(response)
				.catalog.listProducts('t1', {})
				.catch((error: unknown) => error);
		expect(await failure(() => json(503, { code: 'down' }))).toBeInstanceOf(TransientDeliveryError);
		const limited = (await failure(() => json(429, {}, { 'retry-after': '7' }))) as TransientDeliveryError;
		expect(limited.retryAfterMs).toBe(7000);
		expect(
			await failure(() => {
				throw new TypeError('fetch failed');
			}),
		).toBeInstanceOf(TransientDeliveryError);
		expect(await failure(() => new Response('<html>maintenance</html>', { status: 200 }))).toBeInstanceOf(
			TransientDeliveryError,
		);
		expect(await failure(() => json(401, { code: 'nitka_bad_signature' }))).toBeInstanceOf(
			PermanentDeliveryError,
		);
		expect(await failure(() => new Response(null, { status: 301 }))).toBeInstanceOf(PermanentDeliveryError);
		expect(await failure(() => json(200, { products: 'nope' }))).toBeInstanceOf(PermanentDeliveryError);
		const unpaired = await harness(() => json(200, {}))
			.catalog.listProducts('other', {})
			.catch((error: unknown) => error);
		expect(unpaired).toBeInstanceOf(SiteUnavailableError);
	});

	it('names the products that cannot be sold, and refuses a move the order cannot make', async () => {
		const { catalog } = harness((url) =>
			url.pathname.endsWith('/orders')
				? json(409, { code: 'nitka_product_unavailable', data: { status: 409, productIds: [12, 14] } })
				: json(409, { code: 'nitka_order_state', data: { status: 409, orderStatus: 'cancelled' } }),
		);
		const refused = await catalog
			.createOrder('t1', {
				idempotencyKey: 'k',
				customer: { phone: '+79120000000' },
				items: [{ productId: '12', quantity: 1 }],
				pickup: { locationId: 'l', name: 'Store' },
			})
			.catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(ProductUnavailableError);
		expect((refused as ProductUnavailableError).productIds).toEqual(['12', '14']);
		const moved = await catalog.moveOrder('t1', '5', 'collected').catch((error: unknown) => error);
		expect(moved).toBeInstanceOf(HostOrderStateError);
		expect((moved as HostOrderStateError).orderStatus).toBe('cancelled');
		await expect(catalog.moveOrder('t1', '5/../../x', 'ready')).rejects.toBeInstanceOf(
			PermanentDeliveryError,
		);
	});

	it('keeps idempotency keys inside what the plugin accepts', () => {
		expect(pluginIdempotencyKey('k')).toBe('k_______');
		expect(pluginIdempotencyKey('chat order #1/ä')).toBe('chat_order__1__');
		expect(pluginIdempotencyKey('x'.repeat(300))).toHaveLength(120);
	});
});

describe('pickup moves to the WooCommerce order', () => {
	const event = (channel: string, data: Record<string, unknown>) => ({
		tenantId: 't1',
		customerId: 'c1',
		eventId: 'e1',
		event: { type: 'order.status_changed', channel, occurredAt: NOW, sourceKey: 'k', data },
	});
	it('follows the counter for the shop’s own orders and never echoes the shop', () => {
		const jobs = mapPickupEvents([
			event('pos', { source: 'woocommerce', orderId: '41', to: 'ready_for_pickup' }),
			event('pos', { source: 'woocommerce', orderId: '41', to: 'delivered' }),
			event('pos', { source: 'bitrix24', orderId: '7', to: 'delivered' }),
			event('woocommerce', { source: 'woocommerce', orderId: '41', to: 'delivered' }),
			event('pos', { source: 'woocommerce', orderId: '41', to: 'shipped' }),
		] as never);
		expect(jobs).toEqual([
			{
				kind: PICKUP_JOB_KIND,
				target: 'woocommerce:order:41',
				payload: { orderId: '41', to: 'ready' },
				dedupeKey: 'woocommerce:pickup:41:ready',
				maxAttempts: 12,
			},
			expect.objectContaining({ payload: { orderId: '41', to: 'collected' } }),
		]);
	});
});
