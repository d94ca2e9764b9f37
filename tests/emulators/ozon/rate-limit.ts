import type { NextFunction, Request, Response } from 'express';
import { type Clock, KeyedBuckets } from '../kit/index.ts';
import { ozonErrors, sendKnownOzonError } from './errors.ts';
import type { OzonState } from './state.ts';

export interface OzonLimits {
	/** Requests per second per Client-Id across all methods; Ozon: 50 (research §5.1). */
	perClientPerSecond: number;
	/** Extra per-method ceilings (path → requests per second per Client-Id); Ozon publishes these per method. */
	perMethodPerSecond: Record<string, number>;
}

export const ozonDefaultLimits: OzonLimits = { perClientPerSecond: 50, perMethodPerSecond: {} };

/** Ozon's limits are "N per second": a bucket of N refilled at N/s; excess gets 429 code 8. */
export function ozonRateLimit(state: OzonState, limits: OzonLimits, clock: Clock) {
	const perClient = new KeyedBuckets(limits.perClientPerSecond, limits.perClientPerSecond, clock);
	const perMethod = new Map<string, KeyedBuckets>();
	for (const [path, rate] of Object.entries(limits.perMethodPerSecond)) {
		perMethod.set(path, new KeyedBuckets(rate, rate, clock));
	}
	return (req: Request, res: Response, next: NextFunction) => {
		const clientId = String(res.locals.clientId);
		const method = perMethod.get(req.path);
		const allowed = perClient.take(clientId).ok && (method ? method.take(clientId).ok : true);
		if (allowed) return next();
		state.countRateLimited(clientId);
		sendKnownOzonError(res, ozonErrors.rateLimit);
	};
}
