import type { OrderStatus } from '@nitka/shared';

/**
 * WooCommerce's order statuses on the shared lifecycle. Shops add their own statuses; the common
 * shipping plugins' slugs are mapped, anything else counts as "created" (its raw status is kept).
 */
const statuses: Record<string, OrderStatus> = {
	pending: 'created',
	'checkout-draft': 'created',
	'on-hold': 'created',
	processing: 'awaiting_packaging',
	'awaiting-shipment': 'awaiting_shipment',
	shipped: 'shipped',
	'ready-for-pickup': 'ready_for_pickup',
	// The plugin's own "Ready for pickup" (wp-plugin/includes/Orders/PickupStatus.php).
	'nitka-ready': 'ready_for_pickup',
	delivered: 'delivered',
	completed: 'delivered',
	cancelled: 'cancelled',
	failed: 'cancelled',
	refunded: 'returned',
};

export function toOrderStatus(raw: string): OrderStatus {
	return statuses[raw.replace(/^wc-/, '')] ?? 'created';
}
