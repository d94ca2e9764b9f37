import type { IdentifierInput } from '@nitka/shared';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import type { OrderObservation } from '../../core/ports/marketplace.ts';
import { buyerCompany } from '../common/buyer-company.ts';
import { money } from '../common/page-key.ts';
import { ozonLifecycle } from '../lifecycle.ts';
import {
	OzonFboPostingSchema,
	type OzonFbsPosting,
	OzonFbsPostingSchema,
	OzonPageSchema,
	OzonStoredPushSchema,
} from './schemas.ts';

const time = (iso: string | null | undefined, fallback: number) => {
	const ms = iso ? Date.parse(iso) : Number.NaN;
	return Number.isNaN(ms) ? fallback : ms;
};

/**
 * Who bought: rFBS gives `customer.customer_id` and a name; B2B buyers an INN and KPP (`legal_info`). The phone Ozon
 * returns is always empty in lists (and a substitute elsewhere): never read.
 */
function buyerOf(p: Pick<OzonFbsPosting, 'customer' | 'legal_info'>): OrderObservation['buyer'] {
	const identifiers: IdentifierInput[] = [];
	if (p.customer?.customer_id)
		identifiers.push({ type: 'ozon_buyer', value: String(p.customer.customer_id) });
	const company = p.legal_info
		? buyerCompany({ inn: p.legal_info.inn, kpp: p.legal_info.kpp, name: p.legal_info.company_name })
		: undefined;
	if (company) identifiers.push({ type: 'inn', value: company.inn });
	const name = p.legal_info?.company_name || p.customer?.name || undefined;
	return identifiers.length > 0 || name ? { identifiers, name, ...(company ? { company } : {}) } : undefined;
}

function fromPosting(raw: unknown, scheme: 'fbs' | 'fbo', fetchedAt: number): OrderObservation {
	const p = scheme === 'fbs' ? OzonFbsPostingSchema.parse(raw) : OzonFboPostingSchema.parse(raw);
	const items = p.products.map((item) => ({
		...(item.sku === undefined ? {} : { sku: String(item.sku) }),
		name: item.name || item.offer_id || String(item.sku ?? 'item'),
		quantity: item.quantity,
		price: money(item.price ?? 0),
	}));
	const total = p.products.reduce((sum, item) => sum + Number(item.price ?? 0) * item.quantity, 0);
	return {
		externalId: p.posting_number,
		number: p.posting_number,
		status: ozonLifecycle(p.status),
		rawStatus: p.status,
		statusAt: fetchedAt,
		createdAt: time(p.in_process_at ?? p.created_at, fetchedAt),
		buyer:
			scheme === 'fbs' ? buyerOf(p as OzonFbsPosting) : buyerOf({ customer: null, legal_info: p.legal_info }),
		items,
		total: money(total),
		currency: p.products[0]?.currency_code ?? 'RUB',
	};
}

/** A stored Ozon page or push → observations. */
export function parseOzon(payload: unknown): OrderObservation[] {
	const page = OzonPageSchema.safeParse(payload);
	if (page.success)
		return page.data.postings.map((raw) => fromPosting(raw, page.data.scheme, page.data.fetchedAt));
	const push = OzonStoredPushSchema.safeParse(payload);
	if (!push.success) throw new UnparseablePayloadError('neither an Ozon page nor an Ozon push');
	const m = push.data.message;
	if (!m.posting_number) return [];
	const changed = m.message_type === 'TYPE_STATE_CHANGED' || m.message_type === 'TYPE_POSTING_CANCELLED';
	const raw = changed
		? m.new_state
		: m.message_type === 'TYPE_NEW_POSTING'
			? 'awaiting_packaging'
			: undefined;
	if (!raw) return [];
	const at = time(changed ? m.changed_state_date : m.in_process_at, Number.NaN);
	if (Number.isNaN(at)) return [];
	return [
		{
			externalId: m.posting_number,
			number: m.posting_number,
			status: ozonLifecycle(raw),
			rawStatus: raw,
			statusAt: at,
			createdAt: at,
			partial: true,
		},
	];
}
