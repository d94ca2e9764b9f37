import type { IdentifierInput } from '@nitka/shared';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import type { OrderObservation } from '../../core/ports/marketplace.ts';
import { buyerCompany } from '../common/buyer-company.ts';
import { money } from '../common/page-key.ts';
import { yandexMarketLifecycle } from '../lifecycle.ts';
import {
	type YmBusinessBuyer,
	type YmBuyer,
	YmOrderSchema,
	YmPageSchema,
	YmStoredPushSchema,
} from './schemas.ts';

const time = (iso: string | undefined, fallback: number) => {
	const ms = iso ? Date.parse(iso) : Number.NaN;
	return Number.isNaN(ms) ? fallback : ms;
};

/**
 * Who bought: a DBS buyer's Market-scoped `buyer.id` and name; a business buyer's INN (a company:
 * its organisation name is the customer's name) with its KPP on the order. The substitute phone of `/buyer` is never read.
 */
function buyerOf(
	person: YmBuyer | undefined,
	company: YmBusinessBuyer | undefined,
): OrderObservation['buyer'] {
	const identifiers: IdentifierInput[] = [];
	if (person?.id) identifiers.push({ type: 'yandex_market_buyer', value: person.id });
	const requisites = company
		? buyerCompany({ inn: company.inn, kpp: company.kpp, name: company.organizationName })
		: undefined;
	if (requisites) identifiers.push({ type: 'inn', value: requisites.inn });
	const personName = person
		? [person.lastName, person.firstName, person.middleName].filter(Boolean).join(' ')
		: '';
	const name = company?.organizationName?.trim() || personName || undefined;
	return identifiers.length > 0
		? { identifiers, name, ...(requisites ? { company: requisites } : {}) }
		: undefined;
}

/** A stored Yandex Market page or notification → observations. */
export function parseYandexMarket(payload: unknown): OrderObservation[] {
	const page = YmPageSchema.safeParse(payload);
	if (page.success) {
		const buyers = new Map(page.data.buyers.map((b) => [b.orderId, b.buyer]));
		const companies = new Map(page.data.businessBuyers.map((b) => [b.orderId, b.buyer]));
		return page.data.orders.map((raw) => {
			const o = YmOrderSchema.parse(raw);
			const buyer = buyerOf(buyers.get(o.orderId), companies.get(o.orderId));
			const substatus = o.substatus ?? '';
			return {
				externalId: String(o.orderId),
				number: String(o.orderId),
				status: yandexMarketLifecycle(o.status, substatus),
				rawStatus: substatus ? `${o.status}/${substatus}` : o.status,
				statusAt: time(o.updateDate, page.data.fetchedAt),
				createdAt: time(o.creationDate, page.data.fetchedAt),
				...(buyer ? { buyer } : {}),
				items: o.items.map((i) => ({
					...(i.offerId ? { sku: i.offerId } : {}),
					name: i.offerName || i.offerId || 'item',
					quantity: i.count,
					price: money(i.prices?.payment?.value ?? 0),
				})),
				total: money(o.prices?.payment?.value ?? 0),
				currency: 'RUB',
			};
		});
	}
	const push = YmStoredPushSchema.safeParse(payload);
	if (!push.success) throw new UnparseablePayloadError('neither a Yandex Market page nor a notification');
	const n = push.data.notification;
	const status = n.notificationType === 'ORDER_CANCELLED' ? 'CANCELLED' : n.status;
	const at = time(n.updatedAt ?? n.cancelledAt, Number.NaN);
	if (!n.orderId || !status || Number.isNaN(at)) return [];
	const substatus = n.substatus ?? '';
	return [
		{
			externalId: String(n.orderId),
			number: String(n.orderId),
			status: yandexMarketLifecycle(status, substatus),
			rawStatus: substatus ? `${status}/${substatus}` : status,
			statusAt: at,
			createdAt: at,
			partial: true,
		},
	];
}
