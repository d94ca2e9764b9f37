import type { NextFunction, Request, Response } from 'express';
import { type Clock, ConcurrencyGate } from '../kit/index.ts';
import { WindowCounter } from '../marketplace-common/window-counter.ts';
import { limitScope } from './auth.ts';
import { sendYmError } from './errors.ts';
import type { YmState } from './state.ts';

export interface YmResourceLimit {
	/** Which requests this quota counts. */
	match: RegExp;
	limit: number;
	windowMs: number;
}

export interface YmLimits {
	/** Simultaneous requests per campaign / business / token owner; Market: 4 (research §7.2). */
	parallel: number;
	/** Per-method resource quotas, by name. */
	resources: Record<string, YmResourceLimit>;
}

const HOUR = 3_600_000;

export const ymDefaultLimits: YmLimits = {
	parallel: 4,
	resources: {
		// getBusinessOrders and the campaign order methods: 10 000 per hour.
		orders: {
			match: /^\/v1\/businesses\/\d+\/orders$|^\/v2\/campaigns\/\d+\/orders(\/\d+)?$/,
			limit: 10_000,
			windowMs: HOUR,
		},
		// getOrderBuyerInfo: 3 000 per hour.
		buyer: { match: /^\/v2\/campaigns\/\d+\/orders\/\d+\/buyer$/, limit: 3_000, windowMs: HOUR },
		// getOrderBusinessBuyerInfo: 3 000 per hour, a quota of its own.
		businessBuyer: {
			match: /^\/v2\/campaigns\/\d+\/orders\/\d+\/business-buyer$/,
			limit: 3_000,
			windowMs: HOUR,
		},
	},
};

/**
 * More than `parallel` requests in flight for one scope gets HTTP 420 Enhance Your Calm. The slot is held until
 * the response is finished, so injected latency keeps it busy as a slow Market answer would.
 */
export function ymParallelLimit(state: YmState, parallel: number) {
	const gate = new ConcurrencyGate(parallel);
	return (req: Request, res: Response, next: NextFunction) => {
		const scope = limitScope(req, res);
		if (!gate.enter(scope.key)) {
			state.count(state.stats.limited, 'parallel');
			return sendYmError(
				res,
				420,
				'LIMIT_EXCEEDED',
				`Hit rate limit of ${parallel} parallel requests for ${scope.label}`,
			);
		}
		let left = false;
		const leave = () => {
			if (left) return;
			left = true;
			gate.leave(scope.key);
		};
		res.on('finish', leave);
		res.on('close', leave);
		next();
	};
}

/** Hourly (or any window) resource quotas with Market's X-RateLimit-Resource-* headers; 2xx and 4xx both count. */
export function ymResourceLimits(state: YmState, resources: Record<string, YmResourceLimit>, clock: Clock) {
	const counters = Object.entries(resources).map(
		([name, r]) => [name, r, new WindowCounter(r.limit, r.windowMs, clock)] as const,
	);
	return (req: Request, res: Response, next: NextFunction) => {
		const hit = counters.find(([, r]) => r.match.test(req.path));
		if (!hit) return next();
		const [name, resource, counter] = hit;
		const taken = counter.take(limitScope(req, res).key);
		res.setHeader('X-RateLimit-Resource-Limit', String(resource.limit));
		res.setHeader('X-RateLimit-Resource-Remaining', String(taken.remaining));
		res.setHeader('X-RateLimit-Resource-Until', new Date(taken.resetAt).toUTCString());
		if (taken.ok) return next();
		state.count(state.stats.limited, name);
		sendYmError(res, 420, 'LIMIT_EXCEEDED', `Hit resource limit of ${resource.limit} requests for ${name}`);
	};
}
