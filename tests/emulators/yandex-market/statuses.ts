/** `OrderStatusType` (research §7.3); "other values may appear — ignore them". */
export const ymStatuses = [
	'PLACING',
	'RESERVED',
	'UNPAID',
	'PROCESSING',
	'DELIVERY',
	'PICKUP',
	'DELIVERED',
	'CANCELLED',
	'PENDING',
	'PARTIALLY_RETURNED',
	'RETURNED',
	'UNKNOWN',
] as const;
export type YmStatus = (typeof ymStatuses)[number];

/** Market's placement models (`SellingProgramType`). */
export type YmProgram = 'FBS' | 'FBY' | 'DBS' | 'EXPRESS';

const flow: Partial<Record<YmStatus, readonly YmStatus[]>> = {
	PLACING: ['RESERVED', 'CANCELLED'],
	RESERVED: ['UNPAID', 'PROCESSING', 'PENDING', 'CANCELLED'],
	UNPAID: ['PROCESSING', 'CANCELLED'],
	PENDING: ['PROCESSING', 'CANCELLED'],
	PROCESSING: ['PROCESSING', 'DELIVERY', 'CANCELLED'],
	DELIVERY: ['PICKUP', 'DELIVERED', 'CANCELLED'],
	PICKUP: ['DELIVERED', 'CANCELLED'],
	DELIVERED: ['PARTIALLY_RETURNED', 'RETURNED'],
};

/** Stages inside PROCESSING, in order; an order only moves forward through them. */
const processingStages = ['STARTED', 'READY_TO_SHIP', 'SHIPPED'];

export function canMove(from: YmStatus, fromSub: string, to: YmStatus, toSub: string): boolean {
	if (!(flow[from] ?? []).includes(to)) return false;
	if (from === 'PROCESSING' && to === 'PROCESSING') {
		return processingStages.indexOf(toSub) > processingStages.indexOf(fromSub);
	}
	return true;
}

/** The substatus Market sets when none is named. */
export function defaultSubstatus(status: YmStatus): string {
	if (status === 'PROCESSING') return 'STARTED';
	if (status === 'CANCELLED') return 'USER_CHANGED_MIND';
	if (status === 'UNPAID') return 'WAITING_USER_INPUT';
	return 'UNKNOWN';
}

/** Statuses in which DBS buyer info (`/buyer`) is available (research §7.3). */
export const buyerInfoStatuses: readonly YmStatus[] = ['PROCESSING', 'DELIVERY', 'PICKUP'];

/** Statuses in which business-buyer info (`/business-buyer`) is available (spec: getOrderBusinessBuyerInfo). */
export const businessBuyerInfoStatuses: readonly YmStatus[] = [
	'PROCESSING',
	'DELIVERY',
	'PICKUP',
	'DELIVERED',
];
