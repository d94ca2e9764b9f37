import type { YandexMarketEmulator, YmOrder, YmStatus } from '../../emulators/yandex-market/index.ts';
import { canMove } from '../../emulators/yandex-market/statuses.ts';
import {
	type MarketplaceDesk,
	OrderNotMovableError,
	type OrderView,
	skipSequence,
} from './marketplace-desk.ts';

const view = (o: YmOrder): OrderView => ({
	marketplace: 'yandex-market',
	id: String(o.orderId),
	status: `${o.status} / ${o.substatus}`,
	buyer: [o.buyer.firstName, o.buyer.lastName].filter(Boolean).join(' ') || null,
	items: o.items.map((i) => `${i.offerName} × ${i.count}`).join(', '),
	createdAt: new Date(o.creationDate).toISOString(),
});

// The path YmSeller.deliver walks, one step per click.
const steps: [YmStatus, string][] = [
	['PROCESSING', 'READY_TO_SHIP'],
	['PROCESSING', 'SHIPPED'],
	['DELIVERY', 'DELIVERY_SERVICE_RECEIVED'],
	['DELIVERED', 'DELIVERY_SERVICE_DELIVERED'],
];

/** Yandex Market DBS campaign: the buyer's id and name come with the order. */
export function yandexMarketDesk(ym: YandexMarketEmulator): MarketplaceDesk {
	return {
		title: { ru: 'Яндекс Маркет', en: 'Yandex Market' },
		place: (persona) =>
			view(
				ym.seller.createOrder({
					buyer: {
						id: persona.buyer.yandexMarket,
						firstName: persona.max.first_name,
						lastName: persona.max.last_name,
					},
				}),
			),
		advance(orderId) {
			const order = ym.state.orders.get(Number(orderId));
			if (!order) throw new OrderNotMovableError(`no Yandex Market order ${orderId}`);
			const step = steps.find(([status, sub]) => canMove(order.status, order.substatus, status, sub));
			if (!step) throw new OrderNotMovableError(`${orderId} is ${order.status}`);
			return view(ym.seller.move(order.orderId, ...step));
		},
		list: () => [...ym.state.orders.values()].map(view),
		skipPast: (used) =>
			skipSequence(used, () => {
				const { orderId } = ym.seller.createOrder({ notify: false });
				ym.state.orders.delete(orderId);
				return orderId;
			}),
		sequenceOf: Number,
	};
}
