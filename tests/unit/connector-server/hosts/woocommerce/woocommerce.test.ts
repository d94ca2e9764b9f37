import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseShopEvent } from '../../../../../connector-server/src/hosts/woocommerce/parser.ts';
import { sign, verify } from '../../../../../connector-server/src/hosts/woocommerce/signature.ts';
import { toOrderStatus } from '../../../../../connector-server/src/hosts/woocommerce/status-map.ts';

const context = { tenantId: 't', connectionId: null, receivedAt: 0, settings: {} };
const order = {
	orderId: '42',
	number: '42',
	status: 'completed',
	total: '2490',
	currency: 'RUB',
	totalRefunded: '0',
	customerId: 7,
	billing: { firstName: 'Анна', lastName: 'Петрова', email: 'anna@lenta-shop.ru', phone: '+7 912 000-00-01' },
	items: [{ name: 'Скатерть', quantity: 2, total: '2490', sku: 'LIN-1' }],
	createdAt: 1_763_900_000,
	modifiedAt: 1_763_900_100,
};

describe('WooCommerce signatures', () => {
	it('matches the vector the PHP plugin checks (SignerTest)', () => {
		const canonical = `v1\nPOST\n/api/v1/woocommerce/events\n1700000000\nnonce-0123456789abcdef\n${createHash('sha256').update('{"a":1}').digest('hex')}`;
		expect(
			sign('secret', {
				method: 'post',
				path: '/api/v1/woocommerce/events',
				timestamp: 1_700_000_000,
				nonce: 'nonce-0123456789abcdef',
				body: '{"a":1}',
			}),
		).toBe(`v1=${createHmac('sha256', 'secret').update(canonical).digest('hex')}`);
	});

	it('verifies inside the window only, and only the signed bytes', () => {
		const input = { method: 'GET', path: '/p?q=1', nonce: 'abcdefghijklmnop', body: '' };
		const signature = sign('s', { ...input, timestamp: 1000 });
		expect(verify('s', { ...input, timestamp: '1000' }, signature, 1_200_000)).toEqual({ ok: true });
		expect(verify('s', { ...input, timestamp: '1000' }, signature, 1_301_000).ok).toBe(false);
		expect(verify('s', { ...input, path: '/p?q=2', timestamp: '1000' }, signature, 1_000_000).ok).toBe(false);
		expect(verify('t', { ...input, timestamp: '1000' }, signature, 1_000_000).ok).toBe(false);
	});
});

describe('WooCommerce shop events', () => {
	it('maps an order status change to order events keyed by id + status + modification time', () => {
		const [batch] = parseShopEvent(
			{ kind: 'order', trigger: 'status_changed', order, previousStatus: 'processing' },
			context,
		);
		expect(batch!.identifiers.map((i) => i.type)).toEqual(['woocommerce_customer', 'email', 'phone']);
		expect(batch!.events.map((e) => e.sourceKey)).toEqual([
			'woocommerce:order:42:created',
			'woocommerce:order:42:status:completed:1763900100',
		]);
		expect(batch!.events[1]!.data).toMatchObject({ from: 'awaiting_packaging', to: 'delivered' });
		expect(batch!.events[0]!.data).toMatchObject({
			total: '2490.00',
			items: [{ price: '1245.00', sku: 'LIN-1' }],
		});
	});

	it('keeps guests without a customer id, and refunds as notes', () => {
		const [batch] = parseShopEvent(
			{
				kind: 'order',
				trigger: 'refunded',
				order: { ...order, customerId: 0 },
				refund: { id: '9', amount: '500', reason: 'брак' },
			},
			context,
		);
		expect(batch!.identifiers.map((i) => i.type)).toEqual(['email', 'phone']);
		expect(batch!.events.at(-1)).toMatchObject({ type: 'note', sourceKey: 'woocommerce:order:42:refund:9' });
	});

	it('maps statuses, custom ones to created', () => {
		expect(
			['pending', 'processing', 'completed', 'refunded', 'wc-cancelled', 'my-custom'].map(toOrderStatus),
		).toEqual(['created', 'awaiting_packaging', 'delivered', 'returned', 'cancelled', 'created']);
	});

	it('refuses junk payloads (they go to quarantine)', () => {
		expect(() =>
			parseShopEvent({ kind: 'order', trigger: 'created', order: { orderId: 'x' } }, context),
		).toThrow();
	});
});
