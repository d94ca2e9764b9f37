import { Router } from 'express';
import { sendInvalidArgument } from './errors.ts';
import { queryPostings } from './query.ts';
import { renderFboPosting } from './render.ts';
import { fboListRequest } from './schemas.ts';
import type { OzonState } from './state.ts';
import { ozonFboStatuses } from './statuses.ts';
import { parseOzonBody } from './validate.ts';

const YEAR_MS = 366 * 86_400_000;

/**
 * FBO postings: /v2/posting/fbo/list (documented, research §5.4) and its successor /v3/posting/fbo/list,
 * served with the same shape until Ozon's v3 shape is confirmed (research §5.3, open item 1).
 */
export function fboRoutes(state: OzonState): Router {
	const router = Router();
	router.post(['/v2/posting/fbo/list', '/v3/posting/fbo/list'], (req, res) => {
		const body = parseOzonBody(fboListRequest, req, res);
		if (!body) return;
		if (Date.parse(body.filter.to) - Date.parse(body.filter.since) > YEAR_MS) {
			return sendInvalidArgument(res, 'PERIOD_IS_TOO_LONG');
		}
		const status = body.filter.status || undefined;
		if (status !== undefined && !(ozonFboStatuses as readonly string[]).includes(status)) {
			return sendInvalidArgument(res, `filter.status: unknown status ${status}`);
		}
		const all = queryPostings(state, {
			schemes: ['FBO'],
			since: Date.parse(body.filter.since),
			to: Date.parse(body.filter.to),
			status: status as (typeof ozonFboStatuses)[number] | undefined,
			dir: body.dir,
		});
		const flags = { ...body.with, translit: body.translit };
		res.json({
			result: all.slice(body.offset, body.offset + body.limit).map((p) => renderFboPosting(p, flags)),
		});
	});
	return router;
}
