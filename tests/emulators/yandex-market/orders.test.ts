import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../marketplace-common/http-client.ts';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { startYandexMarketEmulator, type YandexMarketEmulator, ymDefaults } from './index.ts';

interface BusinessOrder {
	orderId: number;
	campaignId: number;
	programType: string;
	status: string;
	substatus: string;
	buyer?: unknown;
	buyerType: string;
}
interface BusinessPage {
	orders: BusinessOrder[];
	paging: { nextPageToken?: string };
}

const headers = { 'Api-Key': ymDefaults.apiKey };
const clock = new ManualClock('2026-11-02T09:00:00Z');
let emu: YandexMarketEmulator;
const ordersUrl = (query = '') => `${emu.url}/v1/businesses/${ymDefaults.businessId}/orders${query}`;

beforeEach(async () => {
	clock.set('2026-11-02T09:00:00Z');
	emu = await startYandexMarketEmulator({ clock });
});
afterEach(async () => {
	await emu.close();
});

describe('Yandex Market business orders (research §7.3)', () => {
	it('POST /v1/businesses/{businessId}/orders answers {orders, paging} with BusinessOrderDTO and no buyer object', async () => {
		emu.seller.createOrder({ items: [{ offerId: 'mug-1', count: 2, price: 490 }] });
		const res = await call(ordersUrl(), { headers, body: {} });
		expect(res.status).toBe(200);
		const page = res.body as BusinessPage;
		expect(page.orders).toHaveLength(1);
		const order = page.orders[0]!;
		for (const field of [
			'orderId',
			'campaignId',
			'status',
			'substatus',
			'creationDate',
			'paymentType',
			'paymentMethod',
			'fake',
			'items',
			'delivery',
		]) {
			expect(order).toHaveProperty(field);
		}
		expect(order).toMatchObject({ programType: 'DBS', status: 'PROCESSING', substatus: 'STARTED' });
		expect(order).not.toHaveProperty('buyer');
		// buyerType: "only for FBS and FBY shops" (BusinessOrderDTO.buyerType); a DBS order has none.
		expect(order).not.toHaveProperty('buyerType');
		expect(page.paging).toEqual({});
	});

	it('pages with page_token over more than one page; limit above 50 is truncated to 50', async () => {
		emu.seller.generate(120, {
			since: '2026-10-10T00:00:00Z',
			until: '2026-10-30T00:00:00Z',
			campaignIds: [2001, 2002],
		});
		const ids: number[] = [];
		const sizes: number[] = [];
		let token: string | undefined;
		do {
			const query = token ? `?limit=500&page_token=${token}` : '?limit=500';
			const page = (await call(ordersUrl(query), { headers, body: {} })).body as BusinessPage;
			sizes.push(page.orders.length);
			ids.push(...page.orders.map((o) => o.orderId));
			token = page.paging.nextPageToken;
		} while (token);
		expect(sizes).toEqual([50, 50, 20]);
		expect(new Set(ids).size).toBe(120);
		// The camelCase alias works too.
		const first = (await call(ordersUrl('?limit=10'), { headers, body: {} })).body as BusinessPage;
		const second = (
			await call(ordersUrl(`?limit=10&pageToken=${first.paging.nextPageToken}`), { headers, body: {} })
		).body as BusinessPage;
		expect(second.orders[0]!.orderId).toBeGreaterThan(first.orders.at(-1)!.orderId);
	});

	it('filters by the GetBusinessOrdersRequest fields and refuses a range over 30 days', async () => {
		const dbs = emu.seller.createOrder({ campaignId: 2001 });
		emu.seller.createOrder({ campaignId: 2002 });
		const byCampaign = (await call(ordersUrl(), { headers, body: { campaignIds: [2002] } }))
			.body as BusinessPage;
		expect(byCampaign.orders.map((o) => o.programType)).toEqual(['FBS']);
		const byId = (await call(ordersUrl(), { headers, body: { orderIds: [dbs.orderId] } }))
			.body as BusinessPage;
		expect(byId.orders.map((o) => o.orderId)).toEqual([dbs.orderId]);
		const byProgram = (
			await call(ordersUrl(), { headers, body: { programTypes: ['DBS'], statuses: ['PROCESSING'] } })
		).body as BusinessPage;
		expect(byProgram.orders).toHaveLength(1);
		const wide = await call(ordersUrl(), {
			headers,
			body: { dates: { creationDateFrom: '2026-08-01', creationDateTo: '2026-11-01' } },
		});
		expect(wide.status).toBe(400);
		expect(wide.body).toEqual({
			status: 'ERROR',
			errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }],
		});
		const badStatus = await call(ordersUrl(), { headers, body: { statuses: ['SHIPPED'] } });
		expect(badStatus.status).toBe(400);
	});

	it('moves orders through real statuses and substatuses, refusing impossible moves', async () => {
		const order = emu.seller.createOrder();
		emu.seller.move(order.orderId, 'PROCESSING', 'READY_TO_SHIP');
		expect(() => emu.seller.move(order.orderId, 'PROCESSING', 'STARTED')).toThrow(/cannot move/);
		emu.seller.deliver(order.orderId);
		expect(order).toMatchObject({ status: 'DELIVERED' });
		expect(() => emu.seller.move(order.orderId, 'PROCESSING')).toThrow(/cannot move/);
		const other = emu.seller.createOrder();
		emu.seller.move(other.orderId, 'CANCELLED', 'SHOP_FAILED');
		const page = (await call(ordersUrl(), { headers, body: { statuses: ['CANCELLED'] } }))
			.body as BusinessPage;
		expect(page.orders.map((o) => [o.orderId, o.substatus])).toEqual([[other.orderId, 'SHOP_FAILED']]);
	});
});

describe('Yandex Market buyer data (research §7.3, §8)', () => {
	it('the deprecated OrderDTO names the buyer only for DBS; /buyer gives the substitute phone in PROCESSING/DELIVERY/PICKUP', async () => {
		const dbs = emu.seller.createOrder({
			campaignId: 2001,
			buyer: {
				id: 'b-42',
				lastName: 'Смирнова',
				firstName: 'Анна',
				middleName: 'Петровна',
				phone: '+79001112233',
			},
		});
		const fbs = emu.seller.createOrder({ campaignId: 2002 });
		const dbsOrder = (await call(`${emu.url}/v2/campaigns/2001/orders/${dbs.orderId}`, { headers })).body as {
			order: { buyer: unknown };
		};
		expect(dbsOrder.order.buyer).toEqual({
			type: 'PERSON',
			id: 'b-42',
			lastName: 'Смирнова',
			firstName: 'Анна',
			middleName: 'Петровна',
		});
		const fbsOrder = (await call(`${emu.url}/v2/campaigns/2002/orders/${fbs.orderId}`, { headers })).body as {
			order: { buyer: unknown };
		};
		expect(fbsOrder.order.buyer).toEqual({ type: 'PERSON' });

		const buyer = await call(`${emu.url}/v2/campaigns/2001/orders/${dbs.orderId}/buyer`, { headers });
		expect(buyer.body).toEqual({
			status: 'OK',
			result: {
				id: 'b-42',
				lastName: 'Смирнова',
				firstName: 'Анна',
				middleName: 'Петровна',
				type: 'PERSON',
				phone: '+79001112233',
				trusted: false,
			},
		});
		expect(buyer.headers.get('x-ratelimit-resource-limit')).toBe('3000');
		expect((await call(`${emu.url}/v2/campaigns/2002/orders/${fbs.orderId}/buyer`, { headers })).status).toBe(
			400,
		);
		emu.seller.deliver(dbs.orderId);
		expect((await call(`${emu.url}/v2/campaigns/2001/orders/${dbs.orderId}/buyer`, { headers })).status).toBe(
			400,
		);
		expect(emu.state.stats.deprecatedCalls.get('/v2/campaigns/{campaignId}/orders/{orderId}')).toBe(2);
	});

	it('business buyers: buyerType BUSINESS (FBS/FBY) or the DBS buyer type; POST …/business-buyer gives INN/KPP in PROCESSING–DELIVERED', async () => {
		const company = {
			inn: '7707083893',
			kpp: '773601001',
			organizationName: 'ООО «Ромашка»',
			organizationJurAddress: '101000, Москва, ул. Мясницкая, 1',
		};
		const fbs = emu.seller.createOrder({ campaignId: 2002, buyer: { type: 'BUSINESS', business: company } });
		const dbs = emu.seller.createOrder({ campaignId: 2001, buyer: { type: 'BUSINESS' } });
		const person = emu.seller.createOrder({ campaignId: 2002 });
		const page = (await call(ordersUrl(), { headers, body: {} })).body as BusinessPage;
		const byId = new Map(page.orders.map((o) => [o.orderId, o]));
		expect(byId.get(fbs.orderId)?.buyerType).toBe('BUSINESS');
		expect(byId.get(person.orderId)?.buyerType).toBe('PERSON');
		expect(byId.get(dbs.orderId)).not.toHaveProperty('buyerType');
		const dbsBuyer = await call(`${emu.url}/v2/campaigns/2001/orders/${dbs.orderId}/buyer`, { headers });
		expect(dbsBuyer.body).toMatchObject({ result: { type: 'BUSINESS' } });

		const url = (campaign: number, order: number) =>
			`${emu.url}/v2/campaigns/${campaign}/orders/${order}/business-buyer`;
		const info = await call(url(2002, fbs.orderId), { headers, body: {} });
		expect(info.status).toBe(200);
		expect(info.body).toEqual({ status: 'OK', result: company });
		expect(info.headers.get('x-ratelimit-resource-limit')).toBe('3000');
		const generated = (await call(url(2001, dbs.orderId), { headers, body: {} })).body as {
			result: { inn: string; kpp: string };
		};
		expect(generated.result.inn).toMatch(/^\d{10}$/);
		expect(generated.result.kpp).toMatch(/^\d{9}$/);
		// A person, another campaign's order, a status outside PROCESSING–DELIVERED: refused.
		expect((await call(url(2002, person.orderId), { headers, body: {} })).status).toBe(400);
		expect((await call(url(2001, fbs.orderId), { headers, body: {} })).status).toBe(404);
		emu.seller.deliver(fbs.orderId);
		expect((await call(url(2002, fbs.orderId), { headers, body: {} })).status).toBe(200);
		const cancelled = emu.seller.createOrder({ campaignId: 2002, buyer: { type: 'BUSINESS' } });
		emu.seller.move(cancelled.orderId, 'CANCELLED');
		expect((await call(url(2002, cancelled.orderId), { headers, body: {} })).status).toBe(400);
		// Its hourly quota (3 000 by default) answers 420 once spent.
		const limited = await startYandexMarketEmulator({
			clock,
			limits: {
				resources: {
					businessBuyer: { match: /\/business-buyer$/, limit: 1, windowMs: 3_600_000 },
				},
			},
		});
		try {
			const again = limited.seller.createOrder({ campaignId: 2002, buyer: { type: 'BUSINESS' } });
			const at = `${limited.url}/v2/campaigns/2002/orders/${again.orderId}/business-buyer`;
			expect((await call(at, { headers, body: {} })).status).toBe(200);
			expect((await call(at, { headers, body: {} })).status).toBe(420);
		} finally {
			await limited.close();
		}
	});

	it('switches the deprecated campaign lists off when configured (2027-04-12)', async () => {
		await emu.close();
		emu = await startYandexMarketEmulator({ deprecatedCampaignOrders: 'off' });
		const res = await call(`${emu.url}/v2/campaigns/2001/orders`, { headers });
		expect(res.status).toBe(404);
		expect(res.body).toMatchObject({ status: 'ERROR', errors: [{ code: 'NOT_FOUND' }] });
	});
});

describe('Yandex Market auth (research §7.1)', () => {
	it('401 without a key, 403 for another business, Bearer tokens accepted', async () => {
		const none = await call(ordersUrl(), { body: {} });
		expect(none.status).toBe(401);
		expect(none.body).toEqual({
			status: 'ERROR',
			errors: [{ code: 'UNAUTHORIZED', message: expect.any(String) }],
		});
		expect((await call(`${emu.url}/v1/businesses/999/orders`, { headers, body: {} })).status).toBe(403);
		const bearer = await call(ordersUrl(), {
			headers: { Authorization: `Bearer ${ymDefaults.apiKey}` },
			body: {},
		});
		expect(bearer.status).toBe(200);
	});
});

describe('Yandex Market backfill', () => {
	it('serves 10 000 orders in 50-order pages', async () => {
		emu.seller.generate(10_000, { since: '2026-10-05T00:00:00Z', until: '2026-11-01T00:00:00Z' });
		let token: string | undefined;
		let total = 0;
		do {
			const page = (await call(ordersUrl(token ? `?page_token=${token}` : ''), { headers, body: {} }))
				.body as BusinessPage;
			total += page.orders.length;
			token = page.paging.nextPageToken;
		} while (token);
		expect(total).toBe(10_000);
	});
});
