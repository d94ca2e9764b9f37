import type { OrderStatus } from '@nitka/shared';

/**
 * The one order lifecycle every marketplace maps onto. The raw status is always kept beside it;
 * a raw status we do not know maps to null, which changes nothing rather than guessing.
 */
const ozon: Readonly<Record<string, OrderStatus>> = {
	awaiting_registration: 'created',
	acceptance_in_progress: 'created',
	awaiting_approve: 'created',
	awaiting_verification: 'created',
	awaiting_packaging: 'awaiting_packaging',
	awaiting_deliver: 'awaiting_shipment',
	not_accepted: 'awaiting_shipment',
	ship_in_process: 'awaiting_shipment',
	sent_by_seller: 'shipped',
	delivering: 'shipped',
	driver_pickup: 'shipped',
	arbitration: 'shipped',
	client_arbitration: 'shipped',
	delivered: 'delivered',
	cancelled: 'cancelled',
	cancelled_from_split_pending: 'cancelled',
};

export function ozonLifecycle(raw: string): OrderStatus | null {
	return ozon[raw] ?? null;
}

const wbCancelled = new Set([
	'canceled',
	'canceled_by_client',
	'declined_by_client',
	'canceled_by_missed_call',
	'defect',
]);
const wbInTransit = new Set(['sorted', 'accepted_by_carrier', 'sent_to_carrier', 'postponed_delivery']);

/** Wildberries has two axes: the seller's (`supplierStatus`) and WB's (`wbStatus`); WB's wins once it moves. */
export function wildberriesLifecycle(supplierStatus: string, wbStatus: string): OrderStatus | null {
	if (wbCancelled.has(wbStatus) || ['cancel', 'reject', 'cancel_missed_call'].includes(supplierStatus)) {
		return 'cancelled';
	}
	if (wbStatus === 'sold' || supplierStatus === 'receive') return 'delivered';
	if (wbStatus === 'ready_for_pickup') return 'ready_for_pickup';
	if (wbInTransit.has(wbStatus) || supplierStatus === 'complete' || supplierStatus === 'deliver')
		return 'shipped';
	if (supplierStatus === 'confirm') return 'awaiting_shipment';
	if (supplierStatus === 'new') return 'awaiting_packaging';
	return null;
}

const ym: Readonly<Record<string, OrderStatus>> = {
	PLACING: 'created',
	RESERVED: 'created',
	UNPAID: 'created',
	PENDING: 'created',
	DELIVERY: 'shipped',
	PICKUP: 'ready_for_pickup',
	DELIVERED: 'delivered',
	CANCELLED: 'cancelled',
	PARTIALLY_RETURNED: 'returned',
	RETURNED: 'returned',
};
const ymProcessing: Readonly<Record<string, OrderStatus>> = {
	READY_TO_SHIP: 'awaiting_shipment',
	SHIPPED: 'shipped',
};

/** Yandex Market: PROCESSING's substatus says how far the seller got. */
export function yandexMarketLifecycle(status: string, substatus: string): OrderStatus | null {
	if (status === 'PROCESSING') return ymProcessing[substatus] ?? 'awaiting_packaging';
	return ym[status] ?? null;
}
