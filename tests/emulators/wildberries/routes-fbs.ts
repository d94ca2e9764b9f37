import { Router } from 'express';
import type { Clock } from '../kit/index.ts';
import { wbBadRequest } from './errors.ts';
import { listOrders } from './list-orders.ts';
import { renderNewOrder, renderStatus } from './render.ts';
import { orderIdsBody } from './schemas.ts';
import type { WbState } from './state.ts';

/** FBS assembly tasks (research §6.3). */
export function fbsRoutes(state: WbState, clock: Clock): Router {
	const router = Router();
	router.get('/api/v3/orders/new', (_req, res) => {
		const fresh = state.byType('fbs').filter((o) => o.supplierStatus === 'new' && o.wbStatus === 'waiting');
		res.json({ orders: fresh.map(renderNewOrder) });
	});
	router.get('/api/v3/orders', listOrders(state, clock, 'fbs'));
	router.post('/api/v3/orders/status', (req, res) => {
		const parsed = orderIdsBody.safeParse(req.body);
		if (!parsed.success) return wbBadRequest(res, 'orders: 1 to 1000 assembly task ids');
		const found = parsed.data.orders.flatMap((id) => {
			const order = state.orders.get(id);
			return order && order.deliveryType === 'fbs' ? [renderStatus(order)] : [];
		});
		res.json({ orders: found });
	});
	// Buyer data on FBS exists only for cross-border orders from Turkey (research §6.3); none here.
	router.post('/api/v3/orders/client', (_req, res) => {
		res.json({ orders: [] });
	});
	return router;
}
