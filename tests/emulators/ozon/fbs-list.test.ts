import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../marketplace-common/http-client.ts';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { type OzonEmulator, ozonDefaultCredentials, startOzonEmulator } from './index.ts';

interface Posting {
	posting_number: string;
	status: string;
	customer: { customer_id: number; name: string; phone: string; address: { city: string } } | null;
	addressee: { name: string; phone: string } | null;
	available_actions: string[];
	legal_info: { inn: string } | null;
	analytics_data: unknown;
	financial_data: unknown;
	products: { price: string; sku: number }[];
}
interface V3List {
	result: { postings: Posting[]; has_next: boolean };
}
interface V4List {
	postings: Posting[];
	has_next: boolean;
	cursor: string;
}

const headers = { 'Client-Id': ozonDefaultCredentials.clientId, 'Api-Key': ozonDefaultCredentials.apiKey };
const since = '2026-10-01T00:00:00Z';
const to = '2026-11-30T00:00:00Z';

let emu: OzonEmulator;
const post = (path: string, body: unknown) => call(`${emu.url}${path}`, { headers, body });

beforeEach(async () => {
	emu = await startOzonEmulator({ clock: new ManualClock('2026-11-02T09:00:00Z') });
});
afterEach(async () => {
	await emu.close();
});

describe('Ozon FBS lists', () => {
	it('§5.2: accepts the documented v3 request and answers {result: {postings, has_next}}', async () => {
		emu.seller.createPosting({ products: [{ sku: 147451959, quantity: 2, price: 1290 }] });
		const res = await post('/v3/posting/fbs/list', {
			dir: 'ASC',
			filter: { since, to, status: 'awaiting_packaging' },
			limit: 100,
			offset: 0,
			with: { analytics_data: false, barcodes: false, financial_data: false, translit: false },
		});
		expect(res.status).toBe(200);
		const { result } = res.body as V3List;
		expect(result.has_next).toBe(false);
		expect(result.postings).toHaveLength(1);
		const posting = result.postings[0]!;
		expect(posting.posting_number).toMatch(/^\d{8}-\d{4}-1$/);
		expect(posting).toMatchObject({ status: 'awaiting_packaging', customer: null, addressee: null });
		expect(posting.products[0]).toMatchObject({ sku: 147451959, price: '1290.000000' });
		expect(Object.keys(posting)).toEqual(
			expect.arrayContaining([
				'order_id',
				'order_number',
				'substatus',
				'in_process_at',
				'shipment_date',
				'delivering_date',
				'delivery_method',
				'tracking_number',
				'tpl_integration_type',
				'cancellation',
				'requirements',
			]),
		);
	});

	it('§5.2: pages v3 with offset and has_next over more than one page', async () => {
		emu.seller.generate(25, {
			since: '2026-10-02T00:00:00Z',
			until: '2026-10-20T00:00:00Z',
			schemes: ['FBS'],
		});
		const seen: string[] = [];
		const flags: boolean[] = [];
		for (let offset = 0; ; offset += 10) {
			const res = await post('/v3/posting/fbs/list', {
				dir: 'ASC',
				filter: { since, to },
				limit: 10,
				offset,
			});
			const { result } = res.body as V3List;
			seen.push(...result.postings.map((p) => p.posting_number));
			flags.push(result.has_next);
			if (!result.has_next) break;
		}
		expect(flags).toEqual([true, true, false]);
		expect(new Set(seen).size).toBe(25);
	});

	it('§5.3: pages v4 by cursor ({limit, cursor, sort_dir, filter} → {postings, has_next, cursor})', async () => {
		emu.seller.generate(23, {
			since: '2026-10-02T00:00:00Z',
			until: '2026-10-20T00:00:00Z',
			schemes: ['FBS', 'rFBS'],
		});
		emu.seller.generate(5, {
			since: '2026-10-02T00:00:00Z',
			until: '2026-10-20T00:00:00Z',
			schemes: ['FBO'],
		});
		const seen: string[] = [];
		let cursor = '';
		let pages = 0;
		for (;;) {
			const res = await post('/v4/posting/fbs/list', {
				limit: 10,
				cursor,
				sort_dir: 'DESC',
				filter: { since, to },
			});
			expect(res.status).toBe(200);
			const page = res.body as V4List;
			seen.push(...page.postings.map((p) => p.posting_number));
			pages += 1;
			cursor = page.cursor;
			if (!page.has_next) break;
		}
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(23);
		expect(emu.state.stats.retiredCalls.size).toBe(0);
	});

	it('§5.3: v4 wraps in result when configured that way', async () => {
		await emu.close();
		emu = await startOzonEmulator({ v4Envelope: 'result' });
		emu.seller.createPosting({ inProcessAt: '2026-10-05T00:00:00Z' });
		const res = await post('/v4/posting/fbs/list', { limit: 10, filter: { since, to } });
		expect((res.body as { result: V4List }).result.postings).toHaveLength(1);
	});

	it('§5.1/§5.2: limit above 1000 and a period over a year are 400 rpcStatus errors', async () => {
		const tooMany = await post('/v3/posting/fbs/list', { filter: { since, to }, limit: 1001, offset: 0 });
		expect(tooMany.status).toBe(400);
		expect(tooMany.body).toMatchObject({ code: 3, details: [] });
		const tooLong = await post('/v3/posting/fbs/list', {
			filter: { since: '2024-01-01T00:00:00Z', to },
			limit: 10,
			offset: 0,
		});
		expect(tooLong.body).toMatchObject({ code: 3, message: 'PERIOD_IS_TOO_LONG' });
	});

	it('§5.3: counts calls to retired endpoints, and refuses them in reject mode', async () => {
		await post('/v3/posting/fbs/list', { filter: { since, to }, limit: 1, offset: 0 });
		expect(emu.state.stats.retiredCalls.get('/v3/posting/fbs/list')).toBe(1);
		await emu.close();
		emu = await startOzonEmulator({ retiredEndpoints: 'reject' });
		const res = await post('/v2/posting/fbo/list', { filter: { since, to }, limit: 1 });
		expect(res.status).toBe(404);
		expect(res.body).toMatchObject({ code: 5, message: 'method is retired, use /v3/posting/fbo/list' });
	});

	it('§5.2: unfulfilled list takes either cutoff or delivering dates, never both', async () => {
		emu.seller.createPosting({ inProcessAt: '2026-10-05T00:00:00Z' });
		const both = await post('/v3/posting/fbs/unfulfilled/list', {
			filter: { cutoff_from: since, cutoff_to: to, delivering_date_from: since, delivering_date_to: to },
			limit: 10,
		});
		expect(both.status).toBe(400);
		const ok = await post('/v3/posting/fbs/unfulfilled/list', {
			filter: { cutoff_from: since, cutoff_to: to },
			limit: 10,
		});
		expect(ok.body).toMatchObject({ result: { count: 1 } });
	});
});

describe('Ozon buyer data (research §5.2 Buyer PII, §8)', () => {
	it('rFBS carries customer and addressee with phone ""; FBS carries none', async () => {
		emu.seller.createPosting({ scheme: 'FBS', inProcessAt: '2026-10-05T00:00:00Z' });
		emu.seller.createPosting({
			scheme: 'rFBS',
			inProcessAt: '2026-10-06T00:00:00Z',
			customer: { customer_id: 555, name: 'Анна Смирнова', substitutePhone: '+79001112233' },
		});
		const res = await post('/v3/posting/fbs/list', { filter: { since, to }, limit: 10, offset: 0 });
		const [fbs, rfbs] = (res.body as V3List).result.postings;
		expect(fbs).toMatchObject({ customer: null, addressee: null });
		expect(rfbs!.customer).toMatchObject({ customer_id: 555, name: 'Анна Смирнова', phone: '' });
		expect(rfbs!.addressee).toEqual({ name: 'Анна Смирнова', phone: '' });
		expect(rfbs!.available_actions).toContain('customer_phone_available');
	});

	it('fbs/get gives the substitute phone when customer_phone_available; translit and with-flags shape it', async () => {
		const p = emu.seller.createPosting({
			scheme: 'rFBS',
			customer: { name: 'Анна Смирнова', substitutePhone: '+79001112233', address: { city: 'Казань' } },
			legal: { company_name: 'ООО Ромашка', inn: '7700000000', kpp: '770001001' },
		});
		const plain = await post('/v3/posting/fbs/get', { posting_number: p.posting_number });
		const result = (plain.body as { result: Posting }).result;
		expect(result.customer?.phone).toBe('+79001112233');
		expect(result).toMatchObject({ legal_info: null, analytics_data: null, financial_data: null });
		const rich = await post('/v3/posting/fbs/get', {
			posting_number: p.posting_number,
			with: { analytics_data: true, financial_data: true, legal_info: true, translit: true },
		});
		const shaped = (rich.body as { result: Posting }).result;
		expect(shaped.customer).toMatchObject({ name: 'Anna Smirnova', address: { city: 'Kazan' } });
		expect(shaped.legal_info).toMatchObject({ inn: '7700000000' });
		expect(shaped.analytics_data).not.toBeNull();
		expect(shaped.financial_data).not.toBeNull();
		emu.seller.deliver(p.posting_number);
		const after = await post('/v3/posting/fbs/get', { posting_number: p.posting_number });
		expect((after.body as { result: Posting }).result.customer?.phone).toBe('');
	});

	it('an unknown posting is a 404 rpcStatus', async () => {
		const res = await post('/v3/posting/fbs/get', { posting_number: '0-0-1' });
		expect(res.status).toBe(404);
		expect(res.body).toMatchObject({ code: 5, details: [] });
	});
});

describe('Ozon statuses (research §5.2)', () => {
	it('moves FBS and rFBS postings through real statuses and refuses impossible moves', async () => {
		const fbs = emu.seller.createPosting({ scheme: 'FBS', inProcessAt: '2026-10-05T00:00:00Z' });
		const rfbs = emu.seller.createPosting({ scheme: 'rFBS', inProcessAt: '2026-10-05T01:00:00Z' });
		emu.seller.move(fbs.posting_number, 'awaiting_deliver');
		emu.seller.move(fbs.posting_number, 'delivering');
		emu.seller.move(fbs.posting_number, 'client_arbitration');
		emu.seller.move(fbs.posting_number, 'delivered');
		expect(() => emu.seller.move(fbs.posting_number, 'awaiting_packaging')).toThrow(/cannot move/);
		emu.seller.move(rfbs.posting_number, 'awaiting_deliver');
		emu.seller.move(rfbs.posting_number, 'sent_by_seller');
		const other = emu.seller.createPosting({ scheme: 'FBS', inProcessAt: '2026-10-05T02:00:00Z' });
		emu.seller.move(other.posting_number, 'awaiting_deliver');
		expect(() => emu.seller.move(other.posting_number, 'sent_by_seller')).toThrow(/cannot move/);

		const byStatus = async (status: string) =>
			(
				(await post('/v3/posting/fbs/list', { filter: { since, to, status }, limit: 10, offset: 0 }))
					.body as V3List
			).result.postings;
		expect((await byStatus('delivered')).map((p) => p.posting_number)).toEqual([fbs.posting_number]);
		expect((await byStatus('sent_by_seller')).map((p) => p.posting_number)).toEqual([rfbs.posting_number]);
		const bad = await post('/v3/posting/fbs/list', { filter: { since, to, status: 'shipped' }, limit: 10 });
		expect(bad.status).toBe(400);
	});
});

describe('Ozon FBO list (research §5.4)', () => {
	it('answers {result: [...]} with no buyer identity, offset ≤ 20 000', async () => {
		emu.seller.generate(3, {
			since: '2026-10-02T00:00:00Z',
			until: '2026-10-03T00:00:00Z',
			schemes: ['FBO'],
		});
		const res = await post('/v3/posting/fbo/list', {
			dir: 'ASC',
			filter: { since, to, status: '' },
			limit: 2,
			offset: 0,
			translit: true,
			with: { analytics_data: true, financial_data: true },
		});
		const result = (res.body as { result: Record<string, unknown>[] }).result;
		expect(result).toHaveLength(2);
		expect(result[0]).not.toHaveProperty('customer');
		expect(Object.keys(result[0]!)).toEqual(
			expect.arrayContaining([
				'order_id',
				'posting_number',
				'cancel_reason_id',
				'created_at',
				'additional_data',
			]),
		);
		expect(result[0]!.analytics_data).toMatchObject({ delivery_type: 'PVZ', is_legal: false });
		const far = await post('/v2/posting/fbo/list', { filter: { since, to }, limit: 10, offset: 20_001 });
		expect(far.status).toBe(400);
	});
});

describe('Ozon backfill', () => {
	it('generates 10 000 postings and serves them in 1000-posting pages', async () => {
		emu.seller.generate(10_000, {
			since: '2026-10-01T00:00:00Z',
			until: '2026-10-30T00:00:00Z',
			schemes: ['FBS', 'rFBS'],
		});
		let cursor = '';
		let total = 0;
		for (;;) {
			const page = (await post('/v4/posting/fbs/list', { limit: 1000, cursor, filter: { since, to } }))
				.body as V4List;
			total += page.postings.length;
			cursor = page.cursor;
			if (!page.has_next) break;
		}
		expect(total).toBe(10_000);
	});
});
