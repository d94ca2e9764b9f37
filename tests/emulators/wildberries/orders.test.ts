import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../marketplace-common/http-client.ts';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { startWildberriesEmulator, type WildberriesEmulator, wbDefaultToken } from './index.ts';

interface Order {
	id: number;
	rid: string;
	orderUid: string;
	address: { fullAddress: string } | null;
	deliveryType: string;
	price: number;
	supplyId?: string;
}
interface OrderPage {
	next: number;
	orders: Order[];
}

const headers = { Authorization: wbDefaultToken };
const clock = new ManualClock('2026-11-02T09:00:00Z');
let emu: WildberriesEmulator;
const get = (path: string) => call(`${emu.url}${path}`, { headers });
const post = (path: string, body: unknown) => call(`${emu.url}${path}`, { headers, body });
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

beforeEach(async () => {
	clock.set('2026-11-02T09:00:00Z');
	// Limits are exercised in their own suite; here they are wide open.
	emu = await startWildberriesEmulator({
		clock,
		limits: { marketplace: { periodMs: 60_000, limit: 1e9, intervalMs: 1, burst: 1e9 } },
	});
});
afterEach(async () => {
	await emu.close();
});

describe('Wildberries FBS assembly tasks (research §6.3)', () => {
	it('orders/new: one task per unit, a cart shares orderUid, FBS has no buyer address', async () => {
		const tasks = emu.seller.createOrder({ items: [{ nmId: 12345678, price: 1500, quantity: 2 }] });
		const res = await get('/api/v3/orders/new');
		expect(res.status).toBe(200);
		const { orders } = res.body as { orders: Order[] };
		expect(orders).toHaveLength(2);
		expect(new Set(orders.map((o) => o.orderUid)).size).toBe(1);
		expect(orders.map((o) => o.id)).toEqual(tasks.map((t) => t.id));
		expect(orders[0]).toMatchObject({ deliveryType: 'fbs', address: null, price: 150_000, nmId: 12345678 });
		expect(Object.keys(orders[0]!)).toEqual(
			expect.arrayContaining([
				'rid',
				'createdAt',
				'warehouseId',
				'officeId',
				'offices',
				'chrtId',
				'article',
				'skus',
			]),
		);
		expect(orders[0]).toMatchObject({
			finalPrice: expect.any(Number),
			salePrice: expect.any(Number),
			currencyCode: 643,
		});
	});

	it('GET /api/v3/orders pages with limit and next over more than one page; dates are unix seconds', async () => {
		emu.seller.generate(25, { since: '2026-10-20T00:00:00Z', until: '2026-10-30T00:00:00Z', types: ['FBS'] });
		const dateFrom = unix('2026-10-15T00:00:00Z');
		const dateTo = unix('2026-11-01T00:00:00Z');
		let next = 0;
		const sizes: number[] = [];
		const ids: number[] = [];
		for (;;) {
			const page = (await get(`/api/v3/orders?limit=10&next=${next}&dateFrom=${dateFrom}&dateTo=${dateTo}`))
				.body as OrderPage;
			sizes.push(page.orders.length);
			ids.push(...page.orders.map((o) => o.id));
			if (page.orders.length === 0) break;
			expect(page.next).toBe(page.orders.at(-1)!.id);
			expect(page.orders[0]).toHaveProperty('supplyId');
			next = page.next;
		}
		expect(sizes).toEqual([10, 10, 5, 0]);
		expect(new Set(ids).size).toBe(25);
		const narrow = (await get(`/api/v3/orders?limit=1000&next=0&dateFrom=${unix('2026-10-29T00:00:00Z')}`))
			.body as OrderPage;
		expect(narrow.orders.length).toBeLessThan(25);
	});

	it('rejects limit above 1000, a missing next and a window over 30 days with the {code, message, data} body', async () => {
		const tooMany = await get('/api/v3/orders?limit=1001&next=0');
		expect(tooMany.status).toBe(400);
		expect(tooMany.body).toEqual({
			code: 'IncorrectRequest',
			message: expect.stringMatching(/^limit/),
			data: null,
		});
		expect((await get('/api/v3/orders?limit=10')).status).toBe(400);
		const wide = await get(`/api/v3/orders?limit=10&next=0&dateFrom=${unix('2026-09-01T00:00:00Z')}`);
		expect(wide.status).toBe(400);
	});

	it('POST /api/v3/orders/status maps ≤ 1000 ids to supplierStatus/wbStatus as tasks move', async () => {
		const [a] = emu.seller.createOrder();
		const [b] = emu.seller.createOrder();
		const [c] = emu.seller.createOrder();
		emu.seller.fulfil(a!.id);
		emu.seller.setStatus(b!.id, { supplierStatus: 'cancel', wbStatus: 'canceled' });
		emu.seller.setStatus(c!.id, { wbStatus: 'declined_by_client' });
		expect(() => emu.seller.setStatus(a!.id, { supplierStatus: 'new' })).toThrow(/cannot move/);
		expect(() => emu.seller.setStatus(c!.id, { wbStatus: 'receive' as never })).toThrow(/cannot move/);
		const res = await post('/api/v3/orders/status', { orders: [a!.id, b!.id, c!.id, 1] });
		expect(res.body).toEqual({
			orders: [
				{ id: a!.id, supplierStatus: 'complete', wbStatus: 'sold' },
				{ id: b!.id, supplierStatus: 'cancel', wbStatus: 'canceled' },
				{ id: c!.id, supplierStatus: 'new', wbStatus: 'declined_by_client' },
			],
		});
		const newOnes = (await get('/api/v3/orders/new')).body as { orders: Order[] };
		expect(newOnes.orders).toHaveLength(0);
		const tooMany = await post('/api/v3/orders/status', {
			orders: Array.from({ length: 1001 }, (_, i) => i),
		});
		expect(tooMany.status).toBe(400);
	});

	it('serves a 10 000-order backfill in 1000-order pages', async () => {
		clock.set('2026-10-31T00:00:00Z');
		emu.seller.generate(10_000, {
			since: '2026-10-02T00:00:00Z',
			until: '2026-10-30T00:00:00Z',
			types: ['FBS'],
		});
		let next = 0;
		let total = 0;
		for (;;) {
			const page = (await get(`/api/v3/orders?limit=1000&next=${next}`)).body as OrderPage;
			if (page.orders.length === 0) break;
			total += page.orders.length;
			next = page.next;
		}
		expect(total).toBe(10_000);
	});
});

describe('Wildberries DBS orders (research §6.4)', () => {
	it('gives the buyer name and substitute phones via /api/v3/dbs/orders/client', async () => {
		const [order] = emu.seller.createOrder({
			type: 'DBS',
			client: { firstName: 'Анна', fullName: 'Смирнова Анна Петровна', replacementPhone: '+79001112233' },
		});
		const res = await post('/api/v3/dbs/orders/client', { orders: [order!.id] });
		expect(res.body).toEqual({
			orders: [
				{
					orderID: order!.id,
					firstName: 'Анна',
					fullName: 'Смирнова Анна Петровна',
					replacementPhone: '+79001112233',
					phone: expect.stringMatching(/^\+7/),
					phoneCode: expect.any(Number),
					additionalPhoneCodes: [],
				},
			],
		});
		const fresh = (await get('/api/v3/dbs/orders/new')).body as { orders: Order[] };
		expect(fresh.orders[0]!.address?.fullAddress).toMatch(/д\. \d+/);
		const [fbs] = emu.seller.createOrder();
		expect((await post('/api/v3/dbs/orders/client', { orders: [fbs!.id] })).body).toEqual({ orders: [] });
	});

	it('reports DBS statuses through status/info, counts the deprecated status method, and gives B2B info', async () => {
		const [order] = emu.seller.createOrder({
			type: 'DBS',
			b2b: { inn: '7700000000', kpp: '770001001', orgName: 'ООО Ромашка' },
		});
		emu.seller.setStatus(order!.id, { supplierStatus: 'confirm' });
		emu.seller.setStatus(order!.id, { supplierStatus: 'deliver' });
		const info = await post('/api/marketplace/v3/dbs/orders/status/info', { orders: [order!.id] });
		expect(info.body).toEqual({
			orders: [{ id: order!.id, supplierStatus: 'deliver', wbStatus: 'waiting' }],
		});
		await post('/api/v3/dbs/orders/status', { orders: [order!.id] });
		expect(emu.state.stats.deprecatedCalls.get('/api/v3/dbs/orders/status')).toBe(1);
		const b2b = await post('/api/marketplace/v3/dbs/orders/b2b/info', { orders: [order!.id] });
		expect(b2b.body).toEqual({
			orders: [{ orderID: order!.id, inn: '7700000000', kpp: '770001001', orgName: 'ООО Ромашка' }],
		});
		emu.seller.setStatus(order!.id, { supplierStatus: 'receive', wbStatus: 'sold' });
		expect((await post('/api/v3/dbs/orders/client', { orders: [order!.id] })).body).toEqual({ orders: [] });
		const page = (await get('/api/v3/dbs/orders?limit=10&next=0')).body as OrderPage;
		expect(page.orders.map((o) => o.deliveryType)).toEqual(['dbs']);
	});
});

describe('Wildberries statistics orders (research §6.5)', () => {
	it('returns rows changed since dateFrom (Moscow time) with srid and gNumber', async () => {
		const [task] = emu.seller.createOrder({ createdAt: '2026-11-01T10:00:00Z' });
		const res = await get('/api/v1/supplier/orders?dateFrom=2026-11-01T00:00:00');
		const rows = res.body as { srid: string; gNumber: string; date: string; isCancel: boolean }[];
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			srid: task!.rid,
			gNumber: task!.orderUid,
			date: '2026-11-01T13:00:00',
			isCancel: false,
		});
	});
});
