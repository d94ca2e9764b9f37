import type { WbOrder } from './types.ts';

/** `OrderNew` (orders/new): the assembly task as the seller must collect it (research §6.3). */
export function renderNewOrder(o: WbOrder) {
	return {
		address: o.address,
		ddate:
			o.deliveryType === 'dbs' ? new Date(o.createdAt + 3 * 86_400_000).toISOString().slice(0, 10) : null,
		salePrice: o.salePrice,
		requiredMeta: [],
		optionalMeta: [],
		deliveryType: o.deliveryType,
		comment: o.comment,
		scanPrice: null,
		orderUid: o.orderUid,
		groupId: o.deliveryType === 'dbs' ? o.groupId : undefined,
		article: o.article,
		colorCode: '',
		rid: o.rid,
		createdAt: new Date(o.createdAt).toISOString(),
		offices: o.offices,
		skus: o.skus,
		id: o.id,
		warehouseId: o.warehouseId,
		officeId: o.officeId,
		nmId: o.nmId,
		chrtId: o.chrtId,
		price: o.price,
		finalPrice: o.finalPrice,
		convertedPrice: o.price,
		convertedFinalPrice: o.finalPrice,
		currencyCode: 643,
		convertedCurrencyCode: 643,
		cargoType: 1,
		isZeroOrder: false,
		options: { isB2b: o.b2b !== null },
	};
}

/** `Order` (orders list): the same plus `supplyId`, and no current status (research §6.3). */
export function renderOrder(o: WbOrder) {
	return { ...renderNewOrder(o), supplyId: o.supplyId };
}

export function renderStatus(o: WbOrder) {
	return { id: o.id, supplierStatus: o.supplierStatus, wbStatus: o.wbStatus };
}
