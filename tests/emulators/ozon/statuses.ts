/** Posting statuses as the Seller API names them (research §5.2). */
export const ozonFbsStatuses = [
	'awaiting_registration',
	'acceptance_in_progress',
	'awaiting_approve',
	'awaiting_packaging',
	'awaiting_deliver',
	'arbitration',
	'client_arbitration',
	'delivering',
	'driver_pickup',
	'delivered',
	'cancelled',
	'not_accepted',
	'sent_by_seller',
	// Seen in posting objects though not accepted as a list filter.
	'awaiting_verification',
	'cancelled_from_split_pending',
	'ship_in_process',
] as const;

export type OzonStatus = (typeof ozonFbsStatuses)[number];

/** Statuses an FBO posting goes through (Ozon's own warehouse ships). */
export const ozonFboStatuses = [
	'awaiting_packaging',
	'awaiting_deliver',
	'delivering',
	'delivered',
	'cancelled',
] as const satisfies readonly OzonStatus[];

export type OzonScheme = 'FBS' | 'rFBS' | 'FBO';

const fbsFlow: Partial<Record<OzonStatus, readonly OzonStatus[]>> = {
	awaiting_registration: ['acceptance_in_progress', 'awaiting_packaging', 'cancelled'],
	acceptance_in_progress: ['awaiting_approve', 'awaiting_packaging', 'cancelled'],
	awaiting_verification: ['awaiting_packaging', 'cancelled'],
	awaiting_approve: ['awaiting_packaging', 'cancelled'],
	awaiting_packaging: ['awaiting_deliver', 'cancelled'],
	awaiting_deliver: ['delivering', 'sent_by_seller', 'not_accepted', 'cancelled'],
	not_accepted: ['awaiting_deliver', 'cancelled'],
	sent_by_seller: ['delivering', 'driver_pickup', 'delivered', 'cancelled'],
	delivering: ['driver_pickup', 'delivered', 'arbitration', 'client_arbitration', 'cancelled'],
	driver_pickup: ['delivered', 'arbitration', 'client_arbitration', 'cancelled'],
	arbitration: ['delivered', 'cancelled'],
	client_arbitration: ['delivered', 'cancelled'],
};

const fboFlow: Partial<Record<OzonStatus, readonly OzonStatus[]>> = {
	awaiting_packaging: ['awaiting_deliver', 'cancelled'],
	awaiting_deliver: ['delivering', 'cancelled'],
	delivering: ['delivered', 'cancelled'],
};

/** Whether a posting of `scheme` may move from `from` to `to`. `sent_by_seller` exists only where the seller delivers. */
export function canMove(scheme: OzonScheme, from: OzonStatus, to: OzonStatus): boolean {
	if (scheme === 'FBS' && to === 'sent_by_seller') return false;
	const next = (scheme === 'FBO' ? fboFlow : fbsFlow)[from] ?? [];
	return next.includes(to);
}

/** The path a delivered posting takes from `awaiting_packaging`, per scheme. */
export function happyPath(scheme: OzonScheme): OzonStatus[] {
	if (scheme === 'rFBS') return ['awaiting_packaging', 'awaiting_deliver', 'sent_by_seller', 'delivered'];
	return ['awaiting_packaging', 'awaiting_deliver', 'delivering', 'delivered'];
}

/** Statuses in which Ozon lets the seller call an rFBS buyer (`customer_phone_available`). */
export const phoneAvailableStatuses: readonly OzonStatus[] = [
	'awaiting_packaging',
	'awaiting_deliver',
	'sent_by_seller',
	'delivering',
];
