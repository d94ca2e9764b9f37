import type { YmProgram, YmStatus } from './statuses.ts';

export interface YmBuyer {
	type: 'PERSON' | 'BUSINESS';
	/** DBS only, like the names: FBS/FBY/EXPRESS give just the type (research §7.3). */
	id: string;
	lastName: string;
	firstName: string;
	middleName: string;
	/** Substitute number ("подменный номер"). */
	phone: string;
	trusted: boolean;
	/** A BUSINESS buyer's legal entity (`OrderBusinessBuyerDTO`); absent for a PERSON. */
	business?: YmBusinessInfo;
}

/** What getOrderBusinessBuyerInfo answers for a business buyer. */
export interface YmBusinessInfo {
	inn: string;
	kpp: string;
	organizationName: string;
	organizationJurAddress: string;
}

export interface YmItem {
	id: number;
	offerId: string;
	offerName: string;
	count: number;
	/** Rubles per unit. */
	price: number;
}

export interface YmOrder {
	orderId: number;
	businessId: number;
	campaignId: number;
	programType: YmProgram;
	status: YmStatus;
	substatus: string;
	creationDate: number;
	updateDate: number;
	paymentType: 'PREPAID' | 'POSTPAID';
	paymentMethod: 'YANDEX' | 'CARD_ON_DELIVERY' | 'CASH_ON_DELIVERY';
	fake: boolean;
	items: YmItem[];
	deliveryType: 'DELIVERY' | 'PICKUP';
	deliveryFromDate: number;
	buyer: YmBuyer;
	address: { country: string; city: string; street: string; house: string; postcode: string };
	notes: string;
	cancelRequested: boolean;
}

export interface YmCampaign {
	campaignId: number;
	businessId: number;
	programType: YmProgram;
}
