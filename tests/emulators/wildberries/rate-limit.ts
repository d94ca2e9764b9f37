import type { NextFunction, Request, Response } from 'express';
import { type Clock, TokenBucket } from '../kit/index.ts';
import { sendWbGatewayError } from './errors.ts';
import type { WbState } from './state.ts';

/** WB describes each limit as Period / Limit / Interval / Burst (research §6.2). */
export interface WbLimit {
	periodMs: number;
	limit: number;
	/** One request is restored every interval. */
	intervalMs: number;
	burst: number;
}

export type WbCategory = 'marketplace' | 'statistics';

export const wbDefaultLimits: Record<WbCategory, WbLimit> = {
	// FBS/DBS orders, supplies and passes: 300 per minute, one per 200 ms, burst 20.
	marketplace: { periodMs: 60_000, limit: 300, intervalMs: 200, burst: 20 },
	// /api/v1/supplier/orders: one per minute.
	statistics: { periodMs: 60_000, limit: 1, intervalMs: 60_000, burst: 1 },
};

/** "One request answered 409 counts as 10" (research §6.2). */
const CONFLICT_COST = 10;

export function categoryOf(path: string): WbCategory {
	return path.startsWith('/api/v1/supplier/') ? 'statistics' : 'marketplace';
}

/** Per seller and category token buckets; a 429 carries WB's X-Ratelimit-* headers. */
export function wbRateLimit(state: WbState, limits: Record<WbCategory, WbLimit>, clock: Clock) {
	const buckets = new Map<string, TokenBucket>();
	const bucketFor = (key: string, limit: WbLimit) => {
		let bucket = buckets.get(key);
		if (!bucket) {
			bucket = new TokenBucket(limit.burst, 1000 / limit.intervalMs, clock);
			buckets.set(key, bucket);
		}
		return bucket;
	};
	return (req: Request, res: Response, next: NextFunction) => {
		const category = categoryOf(req.path);
		const limit = limits[category];
		const bucket = bucketFor(`${String(res.locals.sellerId)}:${category}`, limit);
		const taken = bucket.tryTake();
		const resetSeconds = () => Math.ceil(((limit.burst - bucket.available) * limit.intervalMs) / 1000);
		res.setHeader('X-Ratelimit-Limit', String(limit.burst));
		if (!taken.ok) {
			state.count(state.stats.rateLimited, category);
			res.setHeader('X-Ratelimit-Remaining', '0');
			res.setHeader('X-Ratelimit-Retry', String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))));
			res.setHeader('X-Ratelimit-Reset', String(resetSeconds()));
			return sendWbGatewayError(res, 429, `limited by ${category}`, 's2s-api-auth-marketplace', clock.now());
		}
		res.setHeader('X-Ratelimit-Remaining', String(Math.floor(bucket.available)));
		res.on('finish', () => {
			if (res.statusCode !== 409) return;
			for (let i = 1; i < CONFLICT_COST; i++) bucket.tryTake();
		});
		next();
	};
}
