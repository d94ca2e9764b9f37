import type { Request, Response } from 'express';
import type { Clock } from '../kit/index.ts';
import { wbBadRequest } from './errors.ts';
import { renderOrder } from './render.ts';
import { orderListQuery } from './schemas.ts';
import type { WbState } from './state.ts';

const WINDOW_SECONDS = 30 * 86_400;

/**
 * The shared `{next, orders}` pager: orders ascending by id, `next` is the last id returned and is passed back
 * to get the following page (first call `next=0`); an empty page returns the `next` it was given.
 */
export function listOrders(state: WbState, clock: Clock, type: 'fbs' | 'dbs') {
	return (req: Request, res: Response) => {
		const parsed = orderListQuery.safeParse(req.query);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return wbBadRequest(res, `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
		}
		const q = parsed.data;
		const nowSeconds = Math.floor(clock.now() / 1000);
		const dateTo = q.dateTo ?? nowSeconds;
		const dateFrom = q.dateFrom ?? dateTo - WINDOW_SECONDS;
		if (dateTo - dateFrom > WINDOW_SECONDS)
			return wbBadRequest(res, 'dateFrom/dateTo: period is more than 30 days');
		if (dateFrom > dateTo) return wbBadRequest(res, 'dateFrom is after dateTo');
		const page = [];
		for (const order of state.byType(type)) {
			if (order.id <= q.next) continue;
			const created = Math.floor(order.createdAt / 1000);
			if (created < dateFrom || created > dateTo) continue;
			page.push(order);
			if (page.length === q.limit) break;
		}
		res.json({ next: page.at(-1)?.id ?? q.next, orders: page.map(renderOrder) });
	};
}
