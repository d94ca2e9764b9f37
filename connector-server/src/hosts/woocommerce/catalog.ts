import { z } from 'zod';
import { PermanentDeliveryError } from '../../core/ports/outbound.ts';
import type { WooCommerceSite, WooCommerceSiteDirectory } from '../../core/ports/woocommerce-sites.ts';
import { callPlugin, type PluginCallOptions, SiteUnavailableError } from './plugin-api.ts';

/**
 * The WooCommerce shop's catalog and chat orders, through the plugin's signed routes
 * (wp-plugin/includes/Rest/CatalogController.php). Products come from WooCommerce
 * (wc_get_products: published, purchasable, in stock); an order is a real WooCommerce order with
 * a local pickup line, created once per idempotency key, moved to "Ready for pickup"
 * (wc-nitka-ready) and "Completed" when the counter says so.
 */

const Money = z.string().regex(/^-?\d+(\.\d+)?$/);

export const WooProductSchema = z.object({
	id: z.number().int().positive(),
	name: z.string(),
	sku: z.string(),
	price: Money,
	currency: z.string().length(3),
	permalink: z.string(),
	imageUrl: z.string().nullable(),
	stockQuantity: z.number().int().nullable(),
});

export const WooProductPageSchema = z.object({
	products: z.array(WooProductSchema),
	page: z.number().int(),
	perPage: z.number().int(),
	total: z.number().int(),
	totalPages: z.number().int(),
	currency: z.string(),
});

export const WooChatOrderSchema = z.object({
	orderId: z.string().regex(/^\d+$/),
	number: z.string(),
	status: z.string(),
	total: Money,
	currency: z.string(),
	customerId: z.number().int(),
	items: z.array(
		z.object({ productId: z.number().int(), name: z.string(), quantity: z.number(), total: Money }),
	),
	pickup: z.object({ name: z.string(), address: z.string() }).nullable(),
	editUrl: z.string(),
	duplicate: z.boolean(),
});

export const WooOrderMoveSchema = z.object({
	orderId: z.string(),
	status: z.string(),
	changed: z.boolean(),
});

export type WooProduct = z.infer<typeof WooProductSchema>;
export type WooProductPage = z.infer<typeof WooProductPageSchema>;
export type WooChatOrder = z.infer<typeof WooChatOrderSchema>;

export interface WooProductQuery {
	search?: string;
	page?: number;
	perPage?: number;
	/** Only these products (the ones a cart holds), still only if they can be sold. */
	ids?: string[];
}

export interface WooChatOrderInput {
	/** The connector's key for this order: a retried job gets the first order back. */
	idempotencyKey: string;
	customer: {
		/** The WooCommerce customer (WordPress user) id when the customer has one. */
		wcCustomerId?: string;
		firstName?: string;
		lastName?: string;
		phone?: string;
		email?: string;
	};
	items: { productId: string; quantity: number }[];
	pickup: { locationId: string; name: string; address?: string };
	channel?: 'telegram' | 'vk' | 'max';
	customerNote?: string;
}

export type WooPickupMove = 'ready' | 'collected' | 'cancelled';

const numericId = (value: string, what: string) => {
	if (!/^\d{1,15}$/.test(value)) throw new PermanentDeliveryError(`${what} is not a WooCommerce id`);
	return Number(value);
};

/** The idempotency key as the plugin accepts it (8–120 of `[A-Za-z0-9_.:-]`). */
export function pluginIdempotencyKey(key: string): string {
	const clean = key.replace(/[^A-Za-z0-9_.:-]/g, '_');
	return clean.length >= 8 ? clean.slice(0, 120) : clean.padEnd(8, '_');
}

export interface WooCommerceCatalog {
	listProducts(tenantId: string, query: WooProductQuery): Promise<WooProductPage>;
	createOrder(tenantId: string, input: WooChatOrderInput): Promise<WooChatOrder>;
	moveOrder(
		tenantId: string,
		orderId: string,
		to: WooPickupMove,
		location?: string,
	): Promise<z.infer<typeof WooOrderMoveSchema>>;
}

export function createWooCommerceCatalog(
	sites: Pick<WooCommerceSiteDirectory, 'byTenant'>,
	options: PluginCallOptions,
): WooCommerceCatalog {
	const site = async (tenantId: string): Promise<WooCommerceSite> => {
		const found = await sites.byTenant(tenantId);
		if (!found) throw new SiteUnavailableError('no WooCommerce shop is paired with this tenant');
		return found;
	};
	return {
		async listProducts(tenantId, query) {
			const body = {
				...(query.search?.trim() ? { search: query.search.trim().slice(0, 100) } : {}),
				page: Math.max(1, Math.min(1000, Math.trunc(query.page ?? 1))),
				perPage: Math.max(1, Math.min(50, Math.trunc(query.perPage ?? 10))),
				...(query.ids?.length ? { ids: query.ids.slice(0, 50).map((id) => numericId(id, 'ids')) } : {}),
			};
			return await callPlugin(await site(tenantId), '/products', body, WooProductPageSchema, options);
		},
		async createOrder(tenantId, input) {
			const { customer } = input;
			const body = {
				idempotencyKey: pluginIdempotencyKey(input.idempotencyKey),
				customer: {
					...(customer.wcCustomerId
						? { wcCustomerId: numericId(customer.wcCustomerId, 'wcCustomerId') }
						: {}),
					...(customer.firstName ? { firstName: customer.firstName.slice(0, 100) } : {}),
					...(customer.lastName ? { lastName: customer.lastName.slice(0, 100) } : {}),
					...(customer.phone ? { phone: customer.phone.slice(0, 40) } : {}),
					...(customer.email ? { email: customer.email.slice(0, 200) } : {}),
				},
				items: input.items.map((item) => ({
					productId: numericId(item.productId, 'productId'),
					quantity: item.quantity,
				})),
				pickup: {
					locationId: input.pickup.locationId,
					name: input.pickup.name.slice(0, 200),
					...(input.pickup.address ? { address: input.pickup.address.slice(0, 500) } : {}),
				},
				...(input.channel ? { channel: input.channel } : {}),
				...(input.customerNote ? { customerNote: input.customerNote.slice(0, 1000) } : {}),
			};
			return await callPlugin(await site(tenantId), '/orders', body, WooChatOrderSchema, options);
		},
		async moveOrder(tenantId, orderId, to, location) {
			const id = numericId(orderId, 'orderId');
			const body = { status: to, ...(location ? { location: location.slice(0, 200) } : {}) };
			return await callPlugin(
				await site(tenantId),
				`/orders/${id}/status`,
				body,
				WooOrderMoveSchema,
				options,
			);
		},
	};
}
