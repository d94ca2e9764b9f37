/** FBS assembly-task statuses (research §6.3). */
export const wbFbsSupplierStatuses = ['new', 'confirm', 'complete', 'cancel'] as const;
export const wbFbsWbStatuses = [
	'waiting',
	'sorted',
	'sold',
	'canceled',
	'canceled_by_client',
	'declined_by_client',
	'defect',
	'ready_for_pickup',
	'postponed_delivery',
	'accepted_by_carrier',
	'sent_to_carrier',
] as const;

/** DBS order statuses (research §6.4). */
export const wbDbsSupplierStatuses = [
	'new',
	'confirm',
	'deliver',
	'receive',
	'reject',
	'cancel',
	'cancel_missed_call',
] as const;
export const wbDbsWbStatuses = [
	'waiting',
	'sold',
	'canceled',
	'canceled_by_client',
	'declined_by_client',
	'defect',
	'ready_for_pickup',
	'canceled_by_missed_call',
] as const;

export type WbSupplierStatus =
	| (typeof wbFbsSupplierStatuses)[number]
	| (typeof wbDbsSupplierStatuses)[number];
export type WbStatus = (typeof wbFbsWbStatuses)[number] | (typeof wbDbsWbStatuses)[number];

type Flow<S extends string> = Partial<Record<S, readonly S[]>>;

const fbsSupplier: Flow<WbSupplierStatus> = { new: ['confirm', 'cancel'], confirm: ['complete', 'cancel'] };
const dbsSupplier: Flow<WbSupplierStatus> = {
	new: ['confirm', 'reject', 'cancel'],
	confirm: ['deliver', 'cancel', 'cancel_missed_call'],
	deliver: ['receive', 'reject', 'cancel_missed_call'],
};
const fbsWb: Flow<WbStatus> = {
	waiting: ['sorted', 'canceled', 'canceled_by_client', 'declined_by_client', 'defect'],
	sorted: [
		'sold',
		'ready_for_pickup',
		'canceled',
		'canceled_by_client',
		'accepted_by_carrier',
		'sent_to_carrier',
		'postponed_delivery',
		'defect',
	],
	accepted_by_carrier: ['sent_to_carrier', 'sold', 'canceled_by_client'],
	sent_to_carrier: ['ready_for_pickup', 'sold', 'canceled_by_client'],
	postponed_delivery: ['ready_for_pickup', 'sold', 'canceled'],
	ready_for_pickup: ['sold', 'canceled_by_client'],
};
const dbsWb: Flow<WbStatus> = {
	waiting: [
		'sold',
		'ready_for_pickup',
		'canceled',
		'canceled_by_client',
		'declined_by_client',
		'defect',
		'canceled_by_missed_call',
	],
	ready_for_pickup: ['sold', 'canceled_by_client'],
};

export function canMoveSupplier(type: 'fbs' | 'dbs', from: WbSupplierStatus, to: WbSupplierStatus): boolean {
	return ((type === 'fbs' ? fbsSupplier : dbsSupplier)[from] ?? []).includes(to);
}

export function canMoveWb(type: 'fbs' | 'dbs', from: WbStatus, to: WbStatus): boolean {
	return ((type === 'fbs' ? fbsWb : dbsWb)[from] ?? []).includes(to);
}
