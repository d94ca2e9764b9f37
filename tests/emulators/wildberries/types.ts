import type { WbStatus, WbSupplierStatus } from './statuses.ts';

/** DBS buyer contact as `/api/v3/dbs/orders/client` gives it: substitute numbers only (research §6.4). */
export interface WbDbsClient {
	firstName: string;
	fullName: string;
	replacementPhone: string;
	phone: string;
	phoneCode: number;
	additionalPhoneCodes: number[];
}

/** One assembly task (one unit of one item); a cart of several units shares `orderUid`. */
export interface WbOrder {
	id: number;
	rid: string;
	orderUid: string;
	groupId: string;
	deliveryType: 'fbs' | 'dbs';
	createdAt: number;
	statusChangedAt: number;
	warehouseId: number;
	officeId: number;
	offices: string[];
	nmId: number;
	chrtId: number;
	article: string;
	skus: string[];
	/** Kopecks (×100), as WB sends prices. */
	price: number;
	salePrice: number;
	finalPrice: number;
	comment: string;
	address: { fullAddress: string; longitude: number; latitude: number } | null;
	supplyId: string;
	supplierStatus: WbSupplierStatus;
	wbStatus: WbStatus;
	client: WbDbsClient | null;
	b2b: { inn: string; kpp: string; orgName: string } | null;
	subject: string;
	brand: string;
	region: string;
}
