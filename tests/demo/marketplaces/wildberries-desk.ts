import type { WbOrder, WbSupplierStatus, WildberriesEmulator } from '../../emulators/wildberries/index.ts';
import { canMoveSupplier } from '../../emulators/wildberries/statuses.ts';
import {
	type MarketplaceDesk,
	OrderNotMovableError,
	type OrderView,
	skipSequence,
} from './marketplace-desk.ts';

const view = (o: WbOrder): OrderView => ({
	marketplace: 'wildberries',
	id: String(o.id),
	status: `${o.supplierStatus} / ${o.wbStatus}`,
	buyer: o.client?.fullName ?? null,
	items: o.subject,
	createdAt: new Date(o.createdAt).toISOString(),
});

// DBS: the seller confirms, hands over to delivery, the buyer receives (as WbSeller.fulfil walks it).
const dbsSteps: { supplierStatus: WbSupplierStatus; wbStatus?: 'sold' }[] = [
	{ supplierStatus: 'confirm' },
	{ supplierStatus: 'deliver' },
	{ supplierStatus: 'receive', wbStatus: 'sold' },
];

/** Wildberries DBS: the seller delivers and sees the buyer's name. */
export function wildberriesDesk(wb: WildberriesEmulator): MarketplaceDesk {
	return {
		title: { ru: 'Wildberries', en: 'Wildberries' },
		place(persona) {
			const [task] = wb.seller.createOrder({
				type: 'DBS',
				client: { firstName: persona.vk.first_name, fullName: persona.name.ru },
			});
			return view(task!);
		},
		advance(orderId) {
			const order = wb.state.orders.get(Number(orderId));
			if (!order) throw new OrderNotMovableError(`no Wildberries assembly task ${orderId}`);
			const step = dbsSteps.find((s) =>
				canMoveSupplier(order.deliveryType, order.supplierStatus, s.supplierStatus),
			);
			if (!step) throw new OrderNotMovableError(`${orderId} is ${order.supplierStatus}`);
			return view(wb.seller.setStatus(order.id, step));
		},
		list: () => [...wb.state.orders.values()].map(view),
		skipPast: (used) =>
			skipSequence(used, () => {
				const tasks = wb.seller.createOrder({ type: 'FBS' });
				for (const task of tasks) wb.state.orders.delete(task.id);
				return Math.max(...tasks.map((t) => t.id));
			}),
		sequenceOf: Number,
	};
}
