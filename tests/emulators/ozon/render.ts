import { transliterate } from '../marketplace-common/fake-data.ts';
import { phoneAvailableStatuses } from './statuses.ts';
import type { OzonPosting } from './types.ts';

/** The `with` block of list/get requests; `translit` sits inside `with` for FBS and at the top for FBO. */
export interface OzonWith {
	analytics_data?: boolean;
	barcodes?: boolean;
	financial_data?: boolean;
	legal_info?: boolean;
	translit?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `available_actions`: Ozon lists what the seller may do now; rFBS buyers may be called in some statuses. */
function availableActions(p: OzonPosting): string[] {
	const actions: string[] = [];
	if (p.status === 'awaiting_packaging') actions.push('pack', 'cancel');
	if (p.status === 'awaiting_deliver') actions.push('ship', 'cancel');
	if (p.scheme === 'rFBS' && phoneAvailableStatuses.includes(p.status)) {
		actions.push('customer_phone_available', 'can_create_chat');
	}
	return actions;
}

function maybeTranslit(text: string, on: boolean | undefined): string {
	return on ? transliterate(text) : text;
}

function renderCustomer(p: OzonPosting, withFlags: OzonWith, revealPhone: boolean) {
	const c = p.customer;
	if (!c || p.scheme !== 'rFBS') return null;
	const t = withFlags.translit;
	return {
		customer_id: c.customer_id,
		name: maybeTranslit(c.name, t),
		// Lists always return "" (spec); fbs/get may carry the substitute number (UNVERIFIED which field, research §5.2).
		phone: revealPhone && availableActions(p).includes('customer_phone_available') ? c.substitutePhone : '',
		address: {
			...c.address,
			address_tail: maybeTranslit(c.address.address_tail, t),
			city: maybeTranslit(c.address.city, t),
			region: maybeTranslit(c.address.region, t),
			district: maybeTranslit(c.address.district, t),
			country: maybeTranslit(c.address.country, t),
		},
	};
}

function financialData(p: OzonPosting) {
	return {
		products: p.products.map((item) => ({
			commission_amount: Number(item.price) * 0.15,
			commission_percent: 15,
			payout: Number(item.price) * 0.85,
			product_id: item.sku,
			old_price: Number(item.price),
			price: Number(item.price),
			total_discount_value: 0,
			total_discount_percent: 0,
			actions: [],
			picking: null,
			quantity: item.quantity,
			client_price: '',
			currency_code: item.currency_code,
		})),
		cluster_from: '',
		cluster_to: p.region,
	};
}

/** `v3FbsPosting` as returned by /v3/posting/fbs/list, /v4/posting/fbs/list and (with extras) /v3/posting/fbs/get. */
export function renderFbsPosting(p: OzonPosting, withFlags: OzonWith = {}, revealPhone = false) {
	const seller = p.scheme === 'rFBS';
	return {
		posting_number: p.posting_number,
		order_id: p.order_id,
		order_number: p.order_number,
		status: p.status,
		substatus: p.substatus,
		delivery_method: {
			id: p.deliveryMethodId,
			name: p.deliveryMethodName,
			warehouse_id: p.warehouseId,
			warehouse: p.warehouseName,
			tpl_provider_id: p.tplProviderId,
			tpl_provider: p.tplProvider,
		},
		tracking_number: p.trackingNumber,
		tpl_integration_type: seller ? 'non_integrated' : 'ozon',
		in_process_at: iso(p.inProcessAt),
		shipment_date: iso(p.shipmentDate),
		delivering_date: p.deliveringDate === null ? null : iso(p.deliveringDate),
		cancellation: {
			cancel_reason_id: p.cancellation?.reasonId ?? 0,
			cancel_reason: p.cancellation?.reason ?? '',
			cancellation_type: p.cancellation ? 'seller' : '',
			cancelled_after_ship: false,
			affect_cancellation_rating: false,
			cancellation_initiator: p.cancellation?.initiator ?? '',
		},
		customer: renderCustomer(p, withFlags, revealPhone),
		products: p.products.map((item) => ({
			price: item.price,
			offer_id: item.offer_id,
			name: item.name,
			sku: item.sku,
			quantity: item.quantity,
			currency_code: item.currency_code,
			is_marketplace_buyout: false,
		})),
		addressee:
			seller && p.customer ? { name: maybeTranslit(p.customer.name, withFlags.translit), phone: '' } : null,
		barcodes: withFlags.barcodes
			? { upper_barcode: `%101%${p.order_id}`, lower_barcode: String(p.order_id).padStart(12, '0') }
			: null,
		analytics_data: withFlags.analytics_data
			? {
					region: p.region,
					city: p.city,
					delivery_type: seller ? 'seller' : 'PVZ',
					is_premium: false,
					payment_type_group_name: p.paymentType,
					warehouse_id: p.warehouseId,
					warehouse: p.warehouseName,
					tpl_provider_id: p.tplProviderId,
					tpl_provider: p.tplProvider,
					delivery_date_begin: iso(p.shipmentDate),
					delivery_date_end: iso(p.shipmentDate + 2 * 86_400_000),
					is_legal: p.legal !== null,
				}
			: null,
		financial_data: withFlags.financial_data ? financialData(p) : null,
		legal_info: withFlags.legal_info && p.legal ? p.legal : null,
		is_express: false,
		requirements: {
			products_requiring_gtd: [],
			products_requiring_country: [],
			products_requiring_mandatory_mark: [],
			products_requiring_rnpt: [],
			products_requiring_jw_uin: [],
		},
		parent_posting_number: '',
		available_actions: availableActions(p),
		multi_box_qty: 1,
		is_multibox: false,
		prr_option: '',
		quantum_id: 0,
	};
}

/** An FBO posting (/v2/posting/fbo/list): no buyer identity at all (research §5.4). */
export function renderFboPosting(p: OzonPosting, withFlags: OzonWith = {}) {
	return {
		order_id: p.order_id,
		order_number: p.order_number,
		posting_number: p.posting_number,
		status: p.status,
		cancel_reason_id: p.cancellation?.reasonId ?? 0,
		created_at: iso(p.createdAt),
		in_process_at: iso(p.inProcessAt),
		products: p.products.map((item) => ({
			sku: item.sku,
			name: item.name,
			quantity: item.quantity,
			offer_id: item.offer_id,
			price: item.price,
			digital_codes: [],
			currency_code: item.currency_code,
		})),
		analytics_data: withFlags.analytics_data
			? {
					region: maybeTranslit(p.region, withFlags.translit),
					city: maybeTranslit(p.city, withFlags.translit),
					delivery_type: 'PVZ',
					is_premium: false,
					payment_type_group_name: p.paymentType,
					warehouse_id: p.warehouseId,
					warehouse_name: p.warehouseName,
					is_legal: p.legal !== null,
				}
			: null,
		financial_data: withFlags.financial_data ? financialData(p) : null,
		legal_info: withFlags.legal_info && p.legal ? p.legal : null,
		additional_data: [],
	};
}
