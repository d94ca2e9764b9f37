import {
	type HostCatalog,
	type HostOrder,
	type HostOrderInput,
	HostOrderRefusedError,
} from '../../core/ports/host-catalog.ts';
import type { WooChatOrder, WooCommerceCatalog } from './catalog.ts';
import { HostOrderStateError, ProductUnavailableError } from './plugin-api.ts';
import { toOrderStatus } from './status-map.ts';

/**
 * Journey 1's host port for a WooCommerce shop: the plugin's products, and the chat order as a
 * WooCommerce order with a local pickup line. A customer who has a shop account (a verified
 * `woocommerce_customer` identity) gets the order in their account; anyone else is a guest with a
 * billing name and phone — the plugin never creates a WordPress user.
 */
export interface WooHostCatalogDeps {
	catalog: WooCommerceCatalog;
	/** The customer's WooCommerce customer id (a verified identity of their merge tree), or null. */
	shopAccountOf(tenantId: string, customerId: string): Promise<string | null>;
}

/** "Анна Петрова" → first and last name as WooCommerce's billing fields keep them. */
export function splitName(name: string | null): { firstName?: string; lastName?: string } {
	const clean = (name ?? '').trim().replace(/\s+/g, ' ');
	if (!clean) return {};
	const at = clean.indexOf(' ');
	return at < 0 ? { firstName: clean } : { firstName: clean.slice(0, at), lastName: clean.slice(at + 1) };
}

const unitPrice = (total: string, quantity: number) =>
	quantity > 0 ? (Number(total) / quantity).toFixed(2) : Number(total).toFixed(2);

export function toHostOrder(order: WooChatOrder): HostOrder {
	return {
		source: 'woocommerce',
		orderId: order.orderId,
		number: order.number,
		status: toOrderStatus(order.status),
		rawStatus: order.status,
		total: order.total,
		currency: order.currency.toUpperCase(),
		items: order.items.map((item) => ({
			productId: String(item.productId),
			name: item.name,
			quantity: item.quantity,
			price: unitPrice(item.total, item.quantity),
		})),
		url: order.editUrl || null,
		// The plugin reports this order too (parser.ts keys its creation so): one customer, one creation.
		createdSourceKey: `woocommerce:order:${order.orderId}:created`,
	};
}

export function createWooCommerceHostCatalog(deps: WooHostCatalogDeps): HostCatalog {
	return {
		host: 'woocommerce',
		limits: (tenantId) => [{ key: `woocommerce:tenant:${tenantId}`, capacity: 4, perSecond: 2 }],
		async listProducts(tenantId, query) {
			const page = await deps.catalog.listProducts(tenantId, query);
			return {
				products: page.products.map((product) => ({
					id: String(product.id),
					name: product.name,
					price: product.price,
					currency: product.currency.toUpperCase(),
					url: product.permalink || null,
				})),
				page: page.page,
				totalPages: page.totalPages,
				total: page.total,
			};
		},
		async createOrder(tenantId, input: HostOrderInput) {
			const account = await deps.shopAccountOf(tenantId, input.customer.customerId);
			try {
				const order = await deps.catalog.createOrder(tenantId, {
					idempotencyKey: input.idempotencyKey,
					customer: {
						...(account ? { wcCustomerId: account } : {}),
						...splitName(input.customer.name),
						...(input.customer.phone ? { phone: input.customer.phone } : {}),
						...(input.customer.email ? { email: input.customer.email } : {}),
					},
					items: input.items,
					pickup: {
						locationId: input.pickup.locationId,
						name: input.pickup.name,
						...(input.pickup.address ? { address: input.pickup.address } : {}),
					},
					channel: input.channel,
				});
				return toHostOrder(order);
			} catch (error) {
				if (error instanceof ProductUnavailableError) {
					throw new HostOrderRefusedError(error.message, 'unavailable', error.productIds);
				}
				if (error instanceof HostOrderStateError) throw new HostOrderRefusedError(error.message, 'invalid');
				throw error;
			}
		},
	};
}
