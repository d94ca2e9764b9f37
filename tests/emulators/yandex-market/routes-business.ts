import { Router } from 'express';
import type { Clock } from '../kit/index.ts';
import { ymBadRequest } from './errors.ts';
import { decodePageToken, encodePageToken, truncatedLimit } from './page-token.ts';
import { renderBusinessOrder } from './render.ts';
import { type BusinessOrdersRequest, businessOrdersRequest } from './schemas.ts';
import type { YmState } from './state.ts';
import type { YmOrder } from './types.ts';

const DAY = 86_400_000;
const MAX_RANGE = 30 * DAY;
const MSK = 3 * 3_600_000;

/** Parses `YYYY-MM-DD` as a Moscow calendar day; `end` gives the day's last millisecond. */
const mskDay = (day: string, end = false) => Date.parse(`${day}T00:00:00Z`) - MSK + (end ? DAY - 1 : 0);

function matcher(body: BusinessOrdersRequest, now: number): ((o: YmOrder) => boolean) | string {
	const d = body.dates ?? {};
	const byUpdate = d.updateDateFrom !== undefined || d.updateDateTo !== undefined;
	let from: number;
	let to: number;
	if (byUpdate) {
		to = d.updateDateTo ? Date.parse(d.updateDateTo) : now;
		from = d.updateDateFrom ? Date.parse(d.updateDateFrom) : to - MAX_RANGE;
	} else {
		to = d.creationDateTo ? mskDay(d.creationDateTo, true) : now;
		from = d.creationDateFrom ? mskDay(d.creationDateFrom) : to - MAX_RANGE;
	}
	if (to - from > MAX_RANGE) return 'The date range must not exceed 30 days';
	if (from > to) return 'The start date must not be after the end date';
	return (o) => {
		const at = byUpdate ? o.updateDate : o.creationDate;
		if (!body.orderIds && (at < from || at > to)) return false;
		if (body.orderIds && !body.orderIds.includes(o.orderId)) return false;
		if (body.campaignIds && !body.campaignIds.includes(o.campaignId)) return false;
		if (body.programTypes && !(body.programTypes as string[]).includes(o.programType)) return false;
		if (body.statuses && !(body.statuses as string[]).includes(o.status)) return false;
		if (body.substatuses && !body.substatuses.includes(o.substatus)) return false;
		if (body.fake !== undefined && o.fake !== body.fake) return false;
		if (body.waitingForCancellationApprove && !o.cancelRequested) return false;
		return true;
	};
}

/** POST /v1/businesses/{businessId}/orders — `getBusinessOrders`, the successor of the campaign order lists. */
export function businessRoutes(state: YmState, clock: Clock): Router {
	const router = Router();
	router.post('/v1/businesses/:businessId/orders', (req, res) => {
		const limit = truncatedLimit(req.query.limit);
		if (limit === undefined) return ymBadRequest(res, 'limit must be a positive integer');
		const token = req.query.pageToken ?? req.query.page_token;
		const after = typeof token === 'string' && token ? decodePageToken(token) : 0;
		if (after === undefined) return ymBadRequest(res, 'Invalid page_token');
		const parsed = businessOrdersRequest.safeParse(req.body ?? {});
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return ymBadRequest(res, `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}`);
		}
		const match = matcher(parsed.data, clock.now());
		if (typeof match === 'string') return ymBadRequest(res, match);
		const businessId = Number(req.params.businessId);
		const page: YmOrder[] = [];
		let more = false;
		for (const order of state.sorted()) {
			if (order.businessId !== businessId || order.orderId <= after || !match(order)) continue;
			if (page.length === limit) {
				more = true;
				break;
			}
			page.push(order);
		}
		const last = page.at(-1);
		res.json({
			orders: page.map(renderBusinessOrder),
			paging: more && last ? { nextPageToken: encodePageToken(last.orderId) } : {},
		});
	});
	return router;
}
