import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Metrics } from '../observability/metrics.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Gives every request an id (the caller's X-Request-Id when sane) and echoes it back. */
export const requestId: RequestHandler = (req, res, next) => {
	const given = req.headers['x-request-id'];
	const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
	res.locals.requestId = id;
	res.setHeader('X-Request-Id', id);
	next();
};

/** Records each request's duration by route pattern (never by raw path: ids would explode the series). */
export function requestMetrics(metrics: Metrics): RequestHandler {
	return (req, res, next) => {
		const end = metrics.httpRequests.startTimer();
		res.on('finish', () => {
			const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
			end({ method: req.method, route: `${req.baseUrl}${route}`, status: String(res.statusCode) });
		});
		next();
	};
}
