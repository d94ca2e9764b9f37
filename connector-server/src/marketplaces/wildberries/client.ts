import type { MarketplaceConnectionRef } from '../../core/ports/marketplace.ts';
import { sha256Hex } from '../../security/tokens.ts';
import { createApiClient } from '../common/http.ts';
import { sharedLimiter, TokenBucket } from '../common/limiter.ts';
import {
	WbB2bListSchema,
	WbClientsSchema,
	WbListSchema,
	WbNewOrdersSchema,
	WbStatusesSchema,
} from './schemas.ts';

export const WB_API = 'https://marketplace-api.wildberries.ru';
/** FBS/DBS order methods: 300 per minute, one per 200 ms, burst 20 (research §6.2); a hair under both. */
export const wbLimit = { capacity: 19, perSecond: 4.9 } as const;
const buckets = new Map<string, TokenBucket>();

/** Wildberries marketplace API calls Nitka makes, all within one token's order-methods budget. */
export function createWbClient(connection: MarketplaceConnectionRef, baseUrl = WB_API, signal?: AbortSignal) {
	const token = connection.credentials.token ?? '';
	const bucket = sharedLimiter(
		buckets,
		sha256Hex(token),
		() => new TokenBucket(wbLimit.capacity, wbLimit.perSecond),
	);
	const call = createApiClient({
		baseUrl,
		headers: { Authorization: token },
		gate: async (attempt) => {
			await bucket.take(signal);
			return await attempt();
		},
		// 429 says how many seconds to wait in X-Ratelimit-Retry (research §6.2).
		rateLimit: (status, headers) => {
			if (status !== 429) return undefined;
			const seconds = Number(headers.get('x-ratelimit-retry'));
			return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
		},
		onRateLimited: () => bucket.drain(),
		...(signal ? { signal } : {}),
	});
	const ids = (orders: number[]) => ({ orders });
	return {
		newOrders: () => call({ method: 'GET', path: '/api/v3/orders/new', schema: WbNewOrdersSchema }),
		list: (type: 'fbs' | 'dbs', q: { next: number; dateFrom: number; dateTo: number; limit: number }) =>
			call({
				method: 'GET',
				path: type === 'fbs' ? '/api/v3/orders' : '/api/v3/dbs/orders',
				query: q,
				schema: WbListSchema,
			}),
		statuses: (type: 'fbs' | 'dbs', orders: number[]) =>
			call({
				method: 'POST',
				path: type === 'fbs' ? '/api/v3/orders/status' : '/api/marketplace/v3/dbs/orders/status/info',
				body: ids(orders),
				schema: WbStatusesSchema,
			}),
		clients: (orders: number[]) =>
			call({ method: 'POST', path: '/api/v3/dbs/orders/client', body: ids(orders), schema: WbClientsSchema }),
		b2b: (orders: number[]) =>
			call({
				method: 'POST',
				path: '/api/marketplace/v3/dbs/orders/b2b/info',
				body: ids(orders),
				schema: WbB2bListSchema,
			}),
	};
}
