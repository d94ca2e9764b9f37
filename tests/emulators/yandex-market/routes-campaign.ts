import { Router } from 'express';
import type { Clock } from '../kit/index.ts';
import { sendYmError, ymBadRequest } from './errors.ts';
import { decodePageToken, encodePageToken, truncatedLimit } from './page-token.ts';
import { renderBusinessBuyerInfo, renderBuyerInfo, renderCampaignOrder } from './render.ts';
import type { YmState } from './state.ts';
import { businessBuyerInfoStatuses, buyerInfoStatuses } from './statuses.ts';

const FINISHED_WINDOW = 30 * 86_400_000;

/**
 * The deprecated campaign order endpoints (unstable from 2027-01-18, off 2027-04-12) and the buyer
 * endpoints (DBS buyer, business buyer), which stay. `off` mode answers the old lists as a shut-down method (exact error UNVERIFIED).
 */
export function campaignRoutes(state: YmState, clock: Clock, deprecated: 'serve' | 'off'): Router {
	const router = Router();
	const gone = (path: string, res: Parameters<Parameters<typeof router.get>[1]>[1]) => {
		state.count(state.stats.deprecatedCalls, path);
		if (deprecated === 'serve') return false;
		sendYmError(res, 404, 'NOT_FOUND', 'Method is switched off, use POST v1/businesses/{businessId}/orders');
		return true;
	};

	router.get('/v2/campaigns/:campaignId/orders', (req, res) => {
		if (gone('/v2/campaigns/{campaignId}/orders', res)) return;
		const limit = truncatedLimit(req.query.limit);
		if (limit === undefined) return ymBadRequest(res, 'limit must be a positive integer');
		const token = req.query.page_token ?? req.query.pageToken;
		const after = typeof token === 'string' && token ? decodePageToken(token) : 0;
		if (after === undefined) return ymBadRequest(res, 'Invalid page_token');
		const campaignId = Number(req.params.campaignId);
		const status = typeof req.query.status === 'string' ? req.query.status.split(',') : undefined;
		const now = clock.now();
		// Orders delivered or cancelled more than 30 days ago are left out of this list.
		const hits = state
			.sorted()
			.filter(
				(o) =>
					o.campaignId === campaignId &&
					o.orderId > after &&
					(!status || status.includes(o.status)) &&
					!(['DELIVERED', 'CANCELLED'].includes(o.status) && now - o.updateDate > FINISHED_WINDOW),
			);
		const page = hits.slice(0, limit);
		const last = page.at(-1);
		res.json({
			orders: page.map(renderCampaignOrder),
			paging: hits.length > limit && last ? { nextPageToken: encodePageToken(last.orderId) } : {},
		});
	});

	router.get('/v2/campaigns/:campaignId/orders/:orderId', (req, res) => {
		if (gone('/v2/campaigns/{campaignId}/orders/{orderId}', res)) return;
		const order = state.orders.get(Number(req.params.orderId));
		if (!order || order.campaignId !== Number(req.params.campaignId)) {
			return sendYmError(res, 404, 'NOT_FOUND', 'Order not found');
		}
		res.json({ order: renderCampaignOrder(order) });
	});

	router.get('/v2/campaigns/:campaignId/orders/:orderId/buyer', (req, res) => {
		const order = state.orders.get(Number(req.params.orderId));
		if (!order || order.campaignId !== Number(req.params.campaignId)) {
			return sendYmError(res, 404, 'NOT_FOUND', 'Order not found');
		}
		if (order.programType !== 'DBS') return ymBadRequest(res, 'Buyer info is available only for DBS orders');
		if (!buyerInfoStatuses.includes(order.status)) {
			return ymBadRequest(res, `Buyer info is not available in status ${order.status}`);
		}
		res.json({ status: 'OK', result: renderBuyerInfo(order) });
	});

	// getOrderBusinessBuyerInfo: any program; PROCESSING, DELIVERY, PICKUP or DELIVERED only. What
	// Market answers for a PERSON buyer is not documented (UNVERIFIED): a 400 here.
	router.post('/v2/campaigns/:campaignId/orders/:orderId/business-buyer', (req, res) => {
		const order = state.orders.get(Number(req.params.orderId));
		if (!order || order.campaignId !== Number(req.params.campaignId)) {
			return sendYmError(res, 404, 'NOT_FOUND', 'Order not found');
		}
		if (!businessBuyerInfoStatuses.includes(order.status)) {
			return ymBadRequest(res, `Business buyer info is not available in status ${order.status}`);
		}
		if (order.buyer.type !== 'BUSINESS') return ymBadRequest(res, 'The buyer is not a business');
		res.json({ status: 'OK', result: renderBusinessBuyerInfo(order) });
	});
	return router;
}
