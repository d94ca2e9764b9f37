import { describe, expect, it } from 'vitest';
import { HostOrderRefusedError } from '../../../../../connector-server/src/core/ports/host-catalog.ts';
import { TransientDeliveryError } from '../../../../../connector-server/src/core/ports/outbound.ts';
import type {
	WooChatOrderInput,
	WooCommerceCatalog,
} from '../../../../../connector-server/src/hosts/woocommerce/catalog.ts';
import {
	createWooCommerceHostCatalog,
	splitName,
} from '../../../../../connector-server/src/hosts/woocommerce/host-catalog.ts';
import { orderBatch } from '../../../../../connector-server/src/hosts/woocommerce/parser.ts';
import { ProductUnavailableError } from '../../../../../connector-server/src/hosts/woocommerce/plugin-api.ts';

const wooOrder = {
	orderId: '77',
	number: '77',
	status: 'processing',
	total: '4970.00',
	currency: 'rub',
	customerId: 0,
	items: [
		{ productId: 12, name: 'Шу', quantity: 2, total: '3980.00' },
		{ productId: 14, name: 'Габа', quantity: 1, total: '990.00' },
	],
	pickup: { name: 'Чайная', address: 'Покровка, 12' },
	editUrl: 'https://shop.example/wp-admin/admin.php?page=wc-orders&action=edit&id=77',
	duplicate: false,
};

function port(
	createOrder: (input: WooChatOrderInput) => Promise<typeof wooOrder>,
	account: string | null = null,
) {
	const calls: WooChatOrderInput[] = [];
	const catalog = {
		listProducts: async () => ({
			products: [
				{
					id: 12,
					name: 'Шу',
					sku: '',
					price: '1990.00',
					currency: 'RUB',
					permalink: 'https://shop.example/p/12',
					imageUrl: null,
					stockQuantity: null,
				},
			],
			page: 1,
			perPage: 10,
			total: 1,
			totalPages: 1,
			currency: 'RUB',
		}),
		createOrder: async (_tenant: string, input: WooChatOrderInput) => {
			calls.push(input);
			return await createOrder(input);
		},
		moveOrder: async () => ({ orderId: '77', status: 'completed', changed: true }),
	} satisfies WooCommerceCatalog;
	return { calls, host: createWooCommerceHostCatalog({ catalog, shopAccountOf: async () => account }) };
}

const input = {
	idempotencyKey: 'chat-order:01J',
	customer: { customerId: 'c1', name: 'Анна  Мария Петрова', phone: '+79125554433', email: null },
	items: [{ productId: '12', quantity: 2 }],
	pickup: { locationId: 'l1', name: 'Чайная', address: null },
	channel: 'telegram' as const,
};

describe('WooCommerce as journey 1’s host catalog', () => {
	it('lists the shop’s products with their pages', async () => {
		const page = await port(async () => wooOrder).host.listProducts('t1', {});
		expect(page).toEqual({
			products: [
				{ id: '12', name: 'Шу', price: '1990.00', currency: 'RUB', url: 'https://shop.example/p/12' },
			],
			page: 1,
			totalPages: 1,
			total: 1,
		});
	});

	it('places a guest order by name and phone, a shop account’s order in that account', async () => {
		const guest = port(async () => wooOrder);
		const order = await guest.host.createOrder('t1', input);
		expect(guest.calls[0]).toEqual({
			idempotencyKey: 'chat-order:01J',
			customer: { firstName: 'Анна', lastName: 'Мария Петрова', phone: '+79125554433' },
			items: [{ productId: '12', quantity: 2 }],
			pickup: { locationId: 'l1', name: 'Чайная' },
			channel: 'telegram',
		});
		expect(order).toEqual({
			source: 'woocommerce',
			orderId: '77',
			number: '77',
			status: 'awaiting_packaging',
			rawStatus: 'processing',
			total: '4970.00',
			currency: 'RUB',
			items: [
				{ productId: '12', name: 'Шу', quantity: 2, price: '1990.00' },
				{ productId: '14', name: 'Габа', quantity: 1, price: '990.00' },
			],
			url: wooOrder.editUrl,
			createdSourceKey: 'woocommerce:order:77:created',
		});
		// The key the plugin's own report of this order is ingested under: the chat's creation takes it.
		const reported = orderBatch({
			trigger: 'created',
			order: {
				orderId: '77',
				number: '77',
				status: 'processing',
				total: '4970.00',
				currency: 'RUB',
				totalRefunded: '0',
				customerId: 0,
				billing: { firstName: 'Анна', lastName: '', email: '', phone: '' },
				items: [],
				createdAt: 1_760_000_000,
				modifiedAt: 1_760_000_000,
			},
		});
		expect(reported.anchorSourceKey).toBe(order.createdSourceKey);
		const member = port(async () => wooOrder, '42');
		await member.host.createOrder('t1', input);
		expect(member.calls[0]?.customer.wcCustomerId).toBe('42');
	});

	it('turns the shop’s refusals into the port’s, and keeps transient failures retryable', async () => {
		const gone = await port(async () => {
			throw new ProductUnavailableError('gone', ['12']);
		})
			.host.createOrder('t1', input)
			.catch((error: unknown) => error);
		expect(gone).toBeInstanceOf(HostOrderRefusedError);
		expect(gone).toMatchObject({ reason: 'unavailable', productIds: ['12'] });
		const down = await port(async () => {
			throw new TransientDeliveryError('down');
		})
			.host.createOrder('t1', input)
			.catch((error: unknown) => error);
		expect(down).toBeInstanceOf(TransientDeliveryError);
	});

	it('splits a name as billing fields keep it', () => {
		expect(splitName(null)).toEqual({});
		expect(splitName('  Анна ')).toEqual({ firstName: 'Анна' });
		expect(splitName('Анна Петрова')).toEqual({ firstName: 'Анна', lastName: 'Петрова' });
	});
});
