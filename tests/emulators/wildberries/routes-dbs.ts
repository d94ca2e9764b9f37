import { Router } from 'express';
import type { Clock } from '../kit/index.ts';
import { wbBadRequest } from './errors.ts';
import { listOrders } from './list-orders.ts';
import { renderNewOrder, renderStatus } from './render.ts';
import { dbsStatusInfoBody, orderIdsBody } from './schemas.ts';
import type { WbState } from './state.ts';
import type { WbOrder } from './types.ts';

/** Buyer contact is given while the seller still has to deliver (assumption: not after receipt or cancel). */
const contactable = new Set(['new', 'confirm', 'deliver']);

/** DBS orders: the seller delivers, so WB hands over the buyer's name and substitute phone (research §6.4). */
export function dbsRoutes(state: WbState, clock: Clock): Router {
	const router = Router();
	const dbsOrders = (ids: number[]): WbOrder[] =>
		ids.flatMap((id) => {
			const order = state.orders.get(id);
			return order && order.deliveryType === 'dbs' ? [order] : [];
		});

	router.get('/api/v3/dbs/orders/new', (_req, res) => {
		const fresh = state.byType('dbs').filter((o) => o.supplierStatus === 'new');
		res.json({ orders: fresh.map(renderNewOrder) });
	});
	router.get('/api/v3/dbs/orders', listOrders(state, clock, 'dbs'));

	router.post('/api/marketplace/v3/dbs/orders/status/info', (req, res) => {
		const parsed = dbsStatusInfoBody.safeParse(req.body);
		if (!parsed.success) return wbBadRequest(res, 'orders: 1 to 1000 order ids');
		res.json({ orders: dbsOrders(parsed.data.orders ?? parsed.data.ordersIds ?? []).map(renderStatus) });
	});
	router.post('/api/v3/dbs/orders/status', (req, res) => {
		state.count(state.stats.deprecatedCalls, req.path);
		const parsed = orderIdsBody.safeParse(req.body);
		if (!parsed.success) return wbBadRequest(res, 'orders: 1 to 1000 order ids');
		res.json({ orders: dbsOrders(parsed.data.orders).map(renderStatus) });
	});

	router.post('/api/v3/dbs/orders/client', (req, res) => {
		const parsed = orderIdsBody.safeParse(req.body);
		if (!parsed.success) return wbBadRequest(res, 'orders: 1 to 1000 order ids');
		const orders = dbsOrders(parsed.data.orders).filter((o) => o.client && contactable.has(o.supplierStatus));
		res.json({ orders: orders.map((o) => ({ orderID: o.id, ...o.client })) });
	});

	router.post('/api/marketplace/v3/dbs/orders/b2b/info', (req, res) => {
		const parsed = orderIdsBody.safeParse(req.body);
		if (!parsed.success) return wbBadRequest(res, 'orders: 1 to 1000 order ids');
		const orders = dbsOrders(parsed.data.orders).filter((o) => o.b2b);
		res.json({ orders: orders.map((o) => ({ orderID: o.id, ...o.b2b })) });
	});
	return router;
}
