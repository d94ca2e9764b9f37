import type { IdentifierInput } from '@nitka/shared';
import type { InboundBatch, InboundEvent, InboundParser } from '../../core/ports/inbound.ts';
import { type CartSnapshot, type OrderSnapshot, ShopEventPayloadSchema } from './payloads.ts';
import { toOrderStatus } from './status-map.ts';

/** Inbox source name of WooCommerce shop events. */
export const WOOCOMMERCE_SOURCE = 'woocommerce';

/** WooCommerce keeps up to the store's decimals; the timeline keeps two. */
const money = (value: string) => (Number.isFinite(Number(value)) ? Number(value).toFixed(2) : '0.00');

/**
 * A signed-in shop account is proven (WordPress authenticated it); billing email and phone are
 * typed by whoever checks out, guest or not, and nobody confirmed them: claims (`claims: true` on
 * every batch), which never join or reach a customer holding anything better (docs/identity.md).
 */
function identifiers(customerId: number, email: string, phone: string): IdentifierInput[] {
	const list: IdentifierInput[] = [];
	if (customerId > 0) list.push({ type: 'woocommerce_customer', value: String(customerId), verified: true });
	if (email.trim()) list.push({ type: 'email', value: email.trim() });
	if (phone.trim()) list.push({ type: 'phone', value: phone.trim() });
	return list;
}

/** Order and cart lines in the timeline's shape: unit price, empty lines dropped. */
function lines(items: OrderSnapshot['items']) {
	return items
		.filter((item) => item.name && item.quantity > 0)
		.map((item) => ({
			name: item.name,
			quantity: item.quantity,
			price: money(String(Number(item.total) / item.quantity)),
			...(item.sku ? { sku: item.sku } : {}),
		}));
}

/** The checkout's marketing consent box, as the timeline records consent. */
function checkoutConsent(at: number, sourceKey: string, text: string): InboundEvent<'consent.given'> {
	return {
		type: 'consent.given',
		channel: 'woocommerce',
		occurredAt: at * 1000,
		sourceKey,
		data: { purpose: 'marketing', source: 'woocommerce:checkout', ...(text ? { text } : {}) },
	};
}

function orderCreated(order: OrderSnapshot): InboundEvent<'order.created'> {
	return {
		type: 'order.created',
		channel: 'woocommerce',
		occurredAt: order.createdAt * 1000,
		sourceKey: `woocommerce:order:${order.orderId}:created`,
		data: {
			source: 'woocommerce',
			orderId: order.orderId,
			number: order.number,
			status: toOrderStatus(order.status),
			rawStatus: order.status,
			total: money(order.total),
			currency: order.currency.toUpperCase(),
			items: lines(order.items),
		},
	};
}

/** Events of one order delivery; each key is idempotent by order id + what happened + modification time. */
export function orderBatch(payload: {
	trigger: string;
	order: OrderSnapshot;
	previousStatus?: string;
	refund?: { id: string; amount: string; reason: string };
}): InboundBatch {
	const { order } = payload;
	const name = `${order.billing.firstName} ${order.billing.lastName}`.trim();
	// order.created is always included: if its own delivery was lost, a later one restores it.
	const events: InboundEvent[] = [orderCreated(order)];
	if (order.marketingConsentAt) {
		events.push(checkoutConsent(order.marketingConsentAt, `woocommerce:order:${order.orderId}:consent`, ''));
	}
	if (payload.trigger === 'status_changed' && payload.previousStatus !== undefined) {
		events.push({
			type: 'order.status_changed',
			channel: 'woocommerce',
			occurredAt: order.modifiedAt * 1000,
			sourceKey: `woocommerce:order:${order.orderId}:status:${order.status}:${order.modifiedAt}`,
			data: {
				source: 'woocommerce',
				orderId: order.orderId,
				number: order.number,
				from: toOrderStatus(payload.previousStatus),
				to: toOrderStatus(order.status),
				rawStatus: order.status,
			},
		});
	}
	if (payload.trigger === 'refunded' && payload.refund) {
		const reason = payload.refund.reason ? `: ${payload.refund.reason}` : '';
		events.push({
			type: 'note',
			channel: 'woocommerce',
			occurredAt: order.modifiedAt * 1000,
			sourceKey: `woocommerce:order:${order.orderId}:refund:${payload.refund.id}`,
			data: {
				text: `Refund of ${money(payload.refund.amount)} ${order.currency} on order #${order.number}${reason}`,
				author: 'WooCommerce',
			},
		});
	}
	return {
		identifiers: identifiers(order.customerId, order.billing.email, order.billing.phone),
		claims: true,
		// Later deliveries follow the order's customer, not the identifiers the order claims.
		anchorSourceKey: orderCreated(order).sourceKey,
		...(name ? { profile: { name, source: 'host' as const } } : {}),
		events,
	};
}

/**
 * An idle cart: one `cart.abandoned` per cart key and contents (the plugin's queue key carries the
 * same), plus the guest's marketing consent that allowed it.
 */
export function cartBatch(cart: CartSnapshot): InboundBatch {
	const name = `${cart.firstName} ${cart.lastName}`.trim();
	const events: InboundEvent[] = [
		{
			type: 'cart.abandoned',
			channel: 'woocommerce',
			occurredAt: cart.updatedAt * 1000,
			sourceKey: `woocommerce:cart:${cart.cartId}:${cart.updatedAt}`,
			data: {
				source: 'woocommerce',
				cartId: cart.cartId,
				total: money(cart.total),
				currency: cart.currency.toUpperCase(),
				items: lines(cart.items),
				idleSeconds: cart.idleSeconds,
			},
		},
	];
	if (cart.consent.given) {
		events.push(
			checkoutConsent(cart.updatedAt, `woocommerce:cart:${cart.cartId}:consent`, cart.consent.text),
		);
	}
	return {
		identifiers: identifiers(cart.customerId, cart.email, cart.phone),
		claims: true,
		...(name ? { profile: { name, source: 'host' as const } } : {}),
		events,
	};
}

/**
 * Turns a stored shop event into timeline batches: orders become order events, customer accounts
 * bring their identifiers (and a registration note). Billing phone, email and the WooCommerce
 * customer id all join the identity graph; phone and email as claims.
 */
export const parseShopEvent: InboundParser = (raw) => {
	const payload = ShopEventPayloadSchema.parse(raw);
	if (payload.kind === 'order') return [orderBatch(payload)];
	if (payload.kind === 'cart') return [cartBatch(payload.cart)];
	const { customer } = payload;
	const name = `${customer.firstName} ${customer.lastName}`.trim();
	const events: InboundEvent[] =
		payload.trigger === 'registered'
			? [
					{
						type: 'note',
						channel: 'woocommerce',
						occurredAt: (customer.registeredAt || 1) * 1000,
						sourceKey: `woocommerce:customer:${customer.customerId}:registered`,
						data: {
							text: `Registered in the shop (customer #${customer.customerId})`,
							author: 'WooCommerce',
						},
					},
				]
			: [];
	return [
		{
			identifiers: identifiers(customer.customerId, customer.email, customer.phone),
			claims: true,
			...(name ? { profile: { name, source: 'host' as const } } : {}),
			events,
		},
	];
};
