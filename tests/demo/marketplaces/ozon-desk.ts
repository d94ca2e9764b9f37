import type { OzonEmulator, OzonPosting } from '../../emulators/ozon/index.ts';
import { happyPath } from '../../emulators/ozon/statuses.ts';
import {
	type MarketplaceDesk,
	OrderNotMovableError,
	type OrderView,
	skipSequence,
} from './marketplace-desk.ts';

const view = (p: OzonPosting): OrderView => ({
	marketplace: 'ozon',
	id: p.posting_number,
	status: p.status,
	buyer: p.customer?.name ?? null,
	items: p.products.map((x) => `${x.name} × ${x.quantity}`).join(', '),
	createdAt: new Date(p.inProcessAt).toISOString(),
});

// A posting number is `<order sequence>-<random>-<n>`.
const sequenceOf = (postingNumber: string) => Number(postingNumber.split('-')[0]);

/** Ozon rFBS: the seller delivers, so Ozon shares the buyer's id and name (and a substitute phone). */
export function ozonDesk(ozon: OzonEmulator): MarketplaceDesk {
	return {
		title: { ru: 'Ozon', en: 'Ozon' },
		place: (persona) =>
			view(
				ozon.seller.createPosting({
					scheme: 'rFBS',
					customer: { customer_id: persona.buyer.ozon, name: persona.name.ru },
				}),
			),
		advance(orderId) {
			const posting = ozon.state.get(orderId);
			if (!posting) throw new OrderNotMovableError(`no Ozon posting ${orderId}`);
			const path = happyPath(posting.scheme);
			const next = path[path.indexOf(posting.status) + 1];
			if (!next || !path.includes(posting.status))
				throw new OrderNotMovableError(`${orderId} is ${posting.status}`);
			return view(ozon.seller.move(orderId, next));
		},
		list: () => [...ozon.state.postings.values()].map(view),
		skipPast: (used) =>
			skipSequence(used, () => {
				const { posting_number } = ozon.seller.createPosting({ scheme: 'FBS' });
				ozon.state.postings.delete(posting_number);
				return sequenceOf(posting_number);
			}),
		sequenceOf,
	};
}
