import { type Response, Router } from 'express';
import { afterCursor, decodeCursor, encodeCursor } from './cursor.ts';
import { ozonErrors, sendInvalidArgument, sendKnownOzonError } from './errors.ts';
import { queryPostings } from './query.ts';
import { renderFbsPosting } from './render.ts';
import {
	fbsGetRequest,
	fbsListV3Request,
	fbsListV4Request,
	unfulfilledV3Request,
	unfulfilledV4Request,
} from './schemas.ts';
import type { OzonState } from './state.ts';
import type { OzonStatus } from './statuses.ts';
import type { OzonPosting } from './types.ts';
import { parseOzonBody } from './validate.ts';

const YEAR_MS = 366 * 86_400_000;
const fbsSchemes = ['FBS', 'rFBS'] as const;
/** Statuses the unfulfilled list covers: postings the seller still has to ship. */
const unfulfilled: readonly OzonStatus[] = [
	'awaiting_registration',
	'acceptance_in_progress',
	'awaiting_approve',
	'awaiting_packaging',
	'awaiting_deliver',
	'awaiting_verification',
	'not_accepted',
];

export interface FbsRouteOptions {
	/** How /v4 lists wrap their answer; research §5.3 found fixtures both ways. Default: bare. */
	v4Envelope: 'bare' | 'result';
}

function periodTooLong(res: Response, since: string, to: string): boolean {
	if (Date.parse(to) - Date.parse(since) <= YEAR_MS) return false;
	sendInvalidArgument(res, 'PERIOD_IS_TOO_LONG');
	return true;
}

function pageByCursor(
	sorted: OzonPosting[],
	cursor: string,
	dir: 'ASC' | 'DESC',
	limit: number,
	res: Response,
) {
	let rest = sorted;
	if (cursor) {
		const key = decodeCursor(cursor);
		if (!key) {
			sendInvalidArgument(res, 'invalid cursor');
			return undefined;
		}
		rest = afterCursor(sorted, key, dir);
	}
	const page = rest.slice(0, limit);
	const last = page.at(-1);
	return { page, has_next: rest.length > limit, cursor: last ? encodeCursor(last) : cursor };
}

function unfulfilledSet(
	state: OzonState,
	filter: Record<string, unknown>,
	dir: 'ASC' | 'DESC',
): OzonPosting[] {
	const byCutoff = typeof filter.cutoff_from === 'string';
	const from = Date.parse(String(byCutoff ? filter.cutoff_from : filter.delivering_date_from));
	const to = Date.parse(String(byCutoff ? filter.cutoff_to : filter.delivering_date_to));
	const all = queryPostings(state, { schemes: fbsSchemes, since: 0, to: Number.MAX_SAFE_INTEGER, dir });
	return all.filter((p) => {
		if (!unfulfilled.includes(p.status)) return false;
		if (filter.status && p.status !== filter.status) return false;
		const at = byCutoff ? p.shipmentDate : (p.deliveringDate ?? p.shipmentDate);
		return at >= from && at <= to;
	});
}

/** FBS and rFBS postings: v3 (offset) lists, v4 (cursor) lists, and the single-posting view. */
export function fbsRoutes(state: OzonState, options: FbsRouteOptions): Router {
	const router = Router();
	const wrap = (body: object) => (options.v4Envelope === 'result' ? { result: body } : body);

	router.post('/v3/posting/fbs/list', (req, res) => {
		const body = parseOzonBody(fbsListV3Request, req, res);
		if (!body || periodTooLong(res, body.filter.since, body.filter.to)) return;
		const all = queryPostings(state, {
			schemes: fbsSchemes,
			since: Date.parse(body.filter.since),
			to: Date.parse(body.filter.to),
			status: body.filter.status,
			dir: body.dir,
		});
		const page = all.slice(body.offset, body.offset + body.limit);
		res.json({
			result: {
				postings: page.map((p) => renderFbsPosting(p, body.with)),
				has_next: body.offset + body.limit < all.length,
			},
		});
	});

	router.post('/v4/posting/fbs/list', (req, res) => {
		const body = parseOzonBody(fbsListV4Request, req, res);
		if (!body || periodTooLong(res, body.filter.since, body.filter.to)) return;
		const all = queryPostings(state, {
			schemes: fbsSchemes,
			since: Date.parse(body.filter.since),
			to: Date.parse(body.filter.to),
			status: body.filter.status,
			dir: body.sort_dir,
		});
		const paged = pageByCursor(all, body.cursor, body.sort_dir, body.limit, res);
		if (!paged) return;
		res.json(
			wrap({
				postings: paged.page.map((p) => renderFbsPosting(p, body.with)),
				has_next: paged.has_next,
				cursor: paged.cursor,
			}),
		);
	});

	router.post('/v3/posting/fbs/unfulfilled/list', (req, res) => {
		const body = parseOzonBody(unfulfilledV3Request, req, res);
		if (!body) return;
		const all = unfulfilledSet(state, body.filter, body.dir);
		const page = all.slice(body.offset, body.offset + body.limit);
		res.json({ result: { postings: page.map((p) => renderFbsPosting(p, body.with)), count: all.length } });
	});

	router.post('/v4/posting/fbs/unfulfilled/list', (req, res) => {
		const body = parseOzonBody(unfulfilledV4Request, req, res);
		if (!body) return;
		const all = unfulfilledSet(state, body.filter, body.sort_dir);
		const paged = pageByCursor(all, body.cursor, body.sort_dir, body.limit, res);
		if (!paged) return;
		res.json(
			wrap({
				postings: paged.page.map((p) => renderFbsPosting(p, body.with)),
				has_next: paged.has_next,
				cursor: paged.cursor,
			}),
		);
	});

	router.post('/v3/posting/fbs/get', (req, res) => {
		const body = parseOzonBody(fbsGetRequest, req, res);
		if (!body) return;
		const posting = state.get(body.posting_number);
		if (!posting || posting.scheme === 'FBO') return sendKnownOzonError(res, ozonErrors.notFound);
		res.json({
			result: {
				...renderFbsPosting(posting, body.with, true),
				additional_data: [],
				courier: null,
				product_exemplars: null,
				related_postings: body.with.related_postings ? { related_posting_numbers: [] } : null,
				delivery_price: '',
				provider_status: '',
			},
		});
	});

	return router;
}
