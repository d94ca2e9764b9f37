import type { OzonScheme, OzonStatus } from './statuses.ts';

export interface OzonProduct {
	sku: number;
	offer_id: string;
	name: string;
	quantity: number;
	/** Ozon sends money as decimal strings. */
	price: string;
	currency_code: string;
}

/** An rFBS buyer as Ozon stores one; lists show `phone: ""`, the substitute number only via fbs/get. */
export interface OzonCustomer {
	customer_id: number;
	name: string;
	substitutePhone: string;
	address: {
		address_tail: string;
		city: string;
		country: string;
		district: string;
		region: string;
		zip_code: string;
		latitude: number;
		longitude: number;
		comment: string;
		pvz_code: string;
		provider_pvz_code: string;
	};
}

export interface OzonLegalInfo {
	company_name: string;
	inn: string;
	kpp: string;
}

export interface OzonCancellation {
	reasonId: number;
	reason: string;
	initiator: string;
	oldState: OzonStatus;
}

/** One posting in the emulator's store; rendered per endpoint (v3 FBS, v4 FBS, FBO). */
export interface OzonPosting {
	posting_number: string;
	order_id: number;
	order_number: string;
	scheme: OzonScheme;
	status: OzonStatus;
	substatus: string;
	createdAt: number;
	inProcessAt: number;
	shipmentDate: number;
	deliveringDate: number | null;
	statusChangedAt: number;
	warehouseId: number;
	warehouseName: string;
	deliveryMethodId: number;
	deliveryMethodName: string;
	tplProviderId: number;
	tplProvider: string;
	trackingNumber: string;
	products: OzonProduct[];
	customer: OzonCustomer | null;
	legal: OzonLegalInfo | null;
	region: string;
	city: string;
	paymentType: string;
	cancellation: OzonCancellation | null;
}
