import type { YmOrder } from './types.ts';

/** ISO 8601 with a +03:00 offset, as Market writes order dates. */
export function mskIso(ms: number): string {
	return `${new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19)}+03:00`;
}
const isoDate = (ms: number) => mskIso(ms).slice(0, 10);
/** The deprecated DTOs use `DD-MM-YYYY` and `DD-MM-YYYY HH:mm:ss`. */
const ruDate = (ms: number) => isoDate(ms).split('-').reverse().join('-');
const ruDateTime = (ms: number) => `${ruDate(ms)} ${mskIso(ms).slice(11, 19)}`;

const itemsTotal = (o: YmOrder) => o.items.reduce((sum, i) => sum + i.price * i.count, 0);

/** `BusinessOrderDTO` (POST /v1/businesses/{businessId}/orders): no buyer object at all (research §7.3). */
export function renderBusinessOrder(o: YmOrder) {
	return {
		orderId: o.orderId,
		campaignId: o.campaignId,
		programType: o.programType,
		status: o.status,
		substatus: o.substatus,
		creationDate: mskIso(o.creationDate),
		updateDate: mskIso(o.updateDate),
		paymentType: o.paymentType,
		paymentMethod: o.paymentMethod,
		fake: o.fake,
		items: o.items.map((i) => ({
			id: i.id,
			offerId: i.offerId,
			offerName: i.offerName,
			count: i.count,
			prices: { payment: { value: i.price, currencyId: 'RUR' } },
		})),
		prices: { payment: { value: itemsTotal(o), currencyId: 'RUR' } },
		delivery: {
			type: o.deliveryType,
			serviceName: o.programType === 'DBS' ? 'Собственная служба' : 'Доставка Маркета',
			deliveryServiceId: o.programType === 'DBS' ? 99 : 1005111,
			deliveryPartnerType: o.programType === 'DBS' ? 'SHOP' : 'YANDEX_MARKET',
			dates: { fromDate: isoDate(o.deliveryFromDate) },
			// The new DTO's address has no recipient or phone (research §7.3).
			courier:
				o.deliveryType === 'DELIVERY'
					? {
							address: {
								country: o.address.country,
								city: o.address.city,
								street: o.address.street,
								house: o.address.house,
								postcode: o.address.postcode,
							},
						}
					: undefined,
		},
		// "Только для FBS- и FBY-магазинов…" (BusinessOrderDTO.buyerType): DBS learns it from /buyer.
		buyerType: o.programType === 'FBS' || o.programType === 'FBY' ? o.buyer.type : undefined,
		notes: o.notes,
		cancelRequested: o.programType === 'DBS' ? o.cancelRequested : undefined,
	};
}

/** `OrderBuyerDTO`: `type` always; `id` and names only for DBS (research §7.3). */
function renderOrderBuyer(o: YmOrder) {
	if (o.programType !== 'DBS') return { type: o.buyer.type };
	const { type, id, lastName, firstName, middleName } = o.buyer;
	return { type, id, lastName, firstName, middleName };
}

/** The deprecated `OrderDTO` of GET /v2/campaigns/{campaignId}/orders[/{orderId}]. */
export function renderCampaignOrder(o: YmOrder) {
	const dbs = o.programType === 'DBS';
	return {
		id: o.orderId,
		status: o.status,
		substatus: o.substatus,
		creationDate: ruDateTime(o.creationDate),
		updatedAt: ruDateTime(o.updateDate),
		currency: 'RUR',
		itemsTotal: itemsTotal(o),
		deliveryTotal: 0,
		buyerItemsTotal: itemsTotal(o),
		buyerTotal: itemsTotal(o),
		buyerItemsTotalBeforeDiscount: itemsTotal(o),
		paymentType: o.paymentType,
		paymentMethod: o.paymentMethod,
		fake: o.fake,
		items: o.items.map((i) => ({
			id: i.id,
			offerId: i.offerId,
			offerName: i.offerName,
			price: i.price,
			buyerPrice: i.price,
			count: i.count,
		})),
		delivery: {
			type: o.deliveryType,
			serviceName: dbs ? 'Собственная служба' : 'Доставка Маркета',
			deliveryServiceId: dbs ? 99 : 1005111,
			deliveryPartnerType: dbs ? 'SHOP' : 'YANDEX_MARKET',
			dates: { fromDate: ruDate(o.deliveryFromDate) },
			address: dbs
				? {
						...o.address,
						recipient: [o.buyer.lastName, o.buyer.firstName, o.buyer.middleName].join(' '),
						phone: o.buyer.phone,
					}
				: undefined,
		},
		buyer: renderOrderBuyer(o),
		notes: o.notes,
		cancelRequested: dbs ? o.cancelRequested : undefined,
	};
}

/** `OrderBusinessBuyerDTO` of POST …/orders/{orderId}/business-buyer (getOrderBusinessBuyerInfo). */
export function renderBusinessBuyerInfo(o: YmOrder) {
	const b = o.buyer.business;
	return b
		? {
				inn: b.inn,
				kpp: b.kpp,
				organizationName: b.organizationName,
				organizationJurAddress: b.organizationJurAddress,
			}
		: {};
}

/** `OrderBuyerInfoDTO` of GET …/orders/{orderId}/buyer. */
export function renderBuyerInfo(o: YmOrder) {
	const { id, lastName, firstName, middleName, type, phone, trusted } = o.buyer;
	return { id, lastName, firstName, middleName, type, phone, trusted };
}
