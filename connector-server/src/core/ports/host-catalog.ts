import type { MessagingChannel, OrderSource, OrderStatus } from '@nitka/shared';
import { PermanentDeliveryError, type RateLimit } from './outbound.ts';

/**
 * A shop's catalog and its chat pickup orders, as the host keeps them (Bitrix24 CRM products and
 * deals, WooCommerce products and orders). Journey 1's ordering conversation
 * (`core/chat-orders/`) speaks only to this port; it calls it from outbox handlers, never inside an
 * ingest transaction, so every host call is durable and retried.
 *
 * How to extend: implement it in the host's folder and return it from the server's
 * `HostCatalogs` resolver for the tenants that have that host.
 */
export interface HostCatalog {
	/** `bitrix24`, `woocommerce`: said in logs and stored on the chat order. */
	readonly host: string;
	/** Buckets one call takes a token from (the host's own limits). */
	limits(tenantId: string): RateLimit[];
	/** Products a customer may order now (active, purchasable), by name; pages from 1. */
	listProducts(tenantId: string, query: ProductQuery): Promise<HostProductPage>;
	/**
	 * Creates the pickup order in the host, once per `idempotencyKey`: a retry after a lost answer
	 * returns the order made the first time. Throws `HostOrderRefusedError` when the host refuses
	 * for good (a product gone), a `TransientDeliveryError` when it may work later.
	 */
	createOrder(tenantId: string, input: HostOrderInput): Promise<HostOrder>;
}

/** Which catalog serves a tenant (the host it has installed), or null when none does. */
export type HostCatalogs = (tenantId: string) => Promise<HostCatalog | null>;

export interface ProductQuery {
	search?: string;
	/** From 1. */
	page?: number;
	perPage?: number;
	/** Only these products (still filtered to orderable ones). */
	ids?: string[];
}

export interface HostProduct {
	id: string;
	name: string;
	/** Decimal string, e.g. `1990.00`. */
	price: string;
	currency: string;
	/** The product's page for customers, when the host has one. */
	url: string | null;
}

export interface HostProductPage {
	products: HostProduct[];
	page: number;
	totalPages: number;
	total: number;
}

export interface HostOrderInput {
	/** Stable per chat order (`chat-order:<id>`): the host makes one order per key. */
	idempotencyKey: string;
	/** Nitka's customer (the merge root); the host finds or creates its own record of them. */
	customer: { customerId: string; name: string | null; phone: string | null; email: string | null };
	items: { productId: string; quantity: number }[];
	pickup: { locationId: string; name: string; address: string | null };
	channel: MessagingChannel;
}

export interface HostOrder {
	/** The Nitka order's `source` (what `orders.source` and the order events say). */
	source: OrderSource;
	/** The source's order id (`orders.external_id`). */
	orderId: string;
	/** What the shop and the customer call it. */
	number: string;
	status: OrderStatus;
	rawStatus: string;
	/** Decimal string. */
	total: string;
	currency: string;
	items: { productId: string; name: string; quantity: number; price: string }[];
	/** Where staff open it in the host, when known. */
	url: string | null;
	/**
	 * When the host also reports its own orders (the WooCommerce plugin's order events): the source
	 * key its intake gives this order's `order.created`. The chat's `order.created` takes it, so the
	 * host's later events about the order join the same customer (they anchor on it) and the order is
	 * created once on the timeline. Default `<source>:<orderId>:created`.
	 */
	createdSourceKey?: string;
}

/** The host refuses the order for good; `reason` is what the customer is told. */
export class HostOrderRefusedError extends PermanentDeliveryError {
	override readonly name: string = 'HostOrderRefusedError';
	constructor(
		message: string,
		readonly reason: 'unavailable' | 'invalid',
		readonly productIds: string[] = [],
	) {
		super(message);
	}
}
