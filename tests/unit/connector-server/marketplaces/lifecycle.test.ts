import { describe, expect, it } from 'vitest';
import {
	ozonLifecycle,
	wildberriesLifecycle,
	yandexMarketLifecycle,
} from '../../../../connector-server/src/marketplaces/lifecycle.ts';
import { parseOzon } from '../../../../connector-server/src/marketplaces/ozon/parse.ts';
import { ozonPush } from '../../../../connector-server/src/marketplaces/ozon/push.ts';
import { parseWildberries } from '../../../../connector-server/src/marketplaces/wildberries/parse.ts';
import { ymPush } from '../../../../connector-server/src/marketplaces/yandex-market/push.ts';

const ref = { connectionId: 'C', tenantId: 'T', credentials: {}, settings: {} };

describe('one lifecycle for every marketplace', () => {
	it('maps raw statuses, and unknown ones to null', () => {
		expect(ozonLifecycle('awaiting_deliver')).toBe('awaiting_shipment');
		expect(ozonLifecycle('sent_by_seller')).toBe('shipped');
		expect(ozonLifecycle('something_new')).toBeNull();
		expect(wildberriesLifecycle('complete', 'sold')).toBe('delivered');
		expect(wildberriesLifecycle('confirm', 'waiting')).toBe('awaiting_shipment');
		expect(wildberriesLifecycle('new', 'canceled_by_client')).toBe('cancelled');
		expect(yandexMarketLifecycle('PROCESSING', 'READY_TO_SHIP')).toBe('awaiting_shipment');
		expect(yandexMarketLifecycle('RETURNED', '')).toBe('returned');
		expect(yandexMarketLifecycle('UNKNOWN', '')).toBeNull();
	});
});

describe('parsers', () => {
	it('Ozon rFBS: customer_id and INN as identifiers, the empty phone never read', () => {
		const [o] = parseOzon({
			kind: 'ozon-page',
			scheme: 'fbs',
			fetchedAt: 1,
			postings: [
				{
					posting_number: '1-1-1',
					status: 'awaiting_packaging',
					in_process_at: '2026-11-20T10:00:00Z',
					products: [{ sku: 1, name: 'Чай', quantity: 2, price: '100.000000', currency_code: 'RUB' }],
					customer: { customer_id: 77, name: 'Иван', phone: '' },
					legal_info: { company_name: 'ООО Чай', inn: '7707083893', kpp: '1' },
				},
			],
		});
		expect(o?.buyer?.identifiers).toEqual([
			{ type: 'ozon_buyer', value: '77' },
			{ type: 'inn', value: '7707083893' },
		]);
		// A KPP of one character is no KPP: the company keeps its INN and name without it.
		expect(o?.buyer?.company).toEqual({ inn: '7707083893', name: 'ООО Чай' });
		expect(o?.total).toBe('200.00');
	});

	it('Ozon and Wildberries business buyers: INN and KPP as the order’s requisites, lower-case KPP letters read as capitals', () => {
		const [ozon] = parseOzon({
			kind: 'ozon-page',
			scheme: 'fbs',
			fetchedAt: 1,
			postings: [
				{
					posting_number: '1-1-2',
					status: 'awaiting_packaging',
					products: [],
					legal_info: { company_name: 'ООО Чай', inn: ' 7707083893 ', kpp: '7707ab001' },
				},
			],
		});
		expect(ozon?.buyer?.company).toEqual({ inn: '7707083893', kpp: '7707AB001', name: 'ООО Чай' });
		const [wb, junk] = parseWildberries({
			kind: 'wb-page',
			type: 'dbs',
			fetchedAt: 1,
			orders: [
				{ id: 6, createdAt: '2026-11-20T10:00:00Z', article: 'a', price: 100 },
				{ id: 7, createdAt: '2026-11-20T10:00:00Z', article: 'b', price: 100 },
			],
			statuses: [],
			clients: [],
			b2b: [
				{ orderID: 6, inn: '7736207543', kpp: '773601001', orgName: 'ООО Ромашка' },
				{ orderID: 7, inn: '12345', kpp: '773601001', orgName: 'ООО Опечатка' },
			],
		});
		expect(wb?.buyer).toEqual({
			identifiers: [{ type: 'inn', value: '7736207543' }],
			name: 'ООО Ромашка',
			company: { inn: '7736207543', kpp: '773601001', name: 'ООО Ромашка' },
		});
		// An INN of five digits names no company, so it never becomes an identifier.
		expect(junk?.buyer).toEqual({ identifiers: [], name: 'ООО Опечатка' });
	});

	it('Wildberries DBS: a name, never the substitute phone', () => {
		const [o] = parseWildberries({
			kind: 'wb-page',
			type: 'dbs',
			fetchedAt: 1,
			orders: [{ id: 5, createdAt: '2026-11-20T10:00:00Z', article: 'a', price: 12_300 }],
			statuses: [{ id: 5, supplierStatus: 'new', wbStatus: 'waiting' }],
			clients: [{ orderID: 5, firstName: 'Анна', fullName: 'Анна К', replacementPhone: '+79990000000' }],
		});
		expect(o?.buyer).toEqual({ identifiers: [], name: 'Анна К' });
		expect(JSON.stringify(o)).not.toContain('+7999');
		expect(o?.status).toBe('awaiting_packaging');
	});

	it('pushes answer with the documented bodies and store what matters', () => {
		expect(ozonPush.receive({ message_type: 'TYPE_PING', time: 'x' }, ref, 0)).toMatchObject({
			status: 200,
			body: { name: 'nitka' },
		});
		expect(ozonPush.receive({ message_type: 'TYPE_NEW_MESSAGE' }, ref, 0)).toEqual({
			status: 200,
			body: { result: true },
		});
		expect(ozonPush.receive({}, ref, 0).status).toBe(400);
		const stored = ymPush.receive({ notificationType: 'ORDER_CREATED', orderId: 1, createdAt: 'x' }, ref, 0);
		expect(stored.store?.sourceKey).toMatch(/^yandex-market:push:C:1:ORDER_CREATED/);
		expect(ymPush.receive({ nope: 1 }, ref, 0)).toMatchObject({
			status: 400,
			body: { error: { type: 'WRONG_EVENT_FORMAT' } },
		});
	});
});
