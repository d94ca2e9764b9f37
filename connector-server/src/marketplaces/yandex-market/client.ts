import type { MarketplaceConnectionRef } from '../../core/ports/marketplace.ts';
import { sha256Hex } from '../../security/tokens.ts';
import { createApiClient } from '../common/http.ts';
import { Semaphore, sharedLimiter } from '../common/limiter.ts';
import { YmBusinessBuyerAnswerSchema, YmBuyerAnswerSchema, YmOrdersPageSchema } from './schemas.ts';

export const YM_API = 'https://api.partner.market.yandex.ru';
/** Market refuses a 5th simultaneous request per business/campaign with 420 (research §7.2). */
export const YM_PARALLEL = 4;
const gates = new Map<string, Semaphore>();

export type YmDates =
	| { creationDateFrom: string; creationDateTo: string }
	| { updateDateFrom: string; updateDateTo: string };

/**
 * Yandex Market Partner API calls. One semaphore per key holds every call of that key — list pages
 * and buyer lookups (person and business) alike — to 4 in flight, so the business and its campaigns never see a 5th.
 */
export function createYmClient(connection: MarketplaceConnectionRef, baseUrl = YM_API, signal?: AbortSignal) {
	const apiKey = connection.credentials.apiKey ?? '';
	const gate = sharedLimiter(gates, sha256Hex(apiKey), () => new Semaphore(YM_PARALLEL));
	const call = createApiClient({
		baseUrl,
		headers: { 'Api-Key': apiKey },
		gate: (attempt) => gate.run(attempt),
		// 420: an hourly resource quota names when it refills; a parallel-limit hit just needs a moment.
		rateLimit: (status, headers) => {
			if (status !== 420) return undefined;
			const remaining = headers.get('x-ratelimit-resource-remaining');
			const until = Date.parse(headers.get('x-ratelimit-resource-until') ?? '');
			if (remaining === '0' && !Number.isNaN(until)) return Math.max(1_000, until - Date.now());
			return 1_000;
		},
		maxWaitMs: 60_000,
		...(signal ? { signal } : {}),
	});
	return {
		orders: (
			businessId: number,
			body: { dates: YmDates; campaignIds?: number[] },
			pageToken: string,
			limit = 50,
		) =>
			call({
				method: 'POST',
				path: `/v1/businesses/${businessId}/orders`,
				query: { limit, pageToken: pageToken || undefined },
				body,
				schema: YmOrdersPageSchema,
			}),
		buyer: (campaignId: number, orderId: number) =>
			call({
				method: 'GET',
				path: `/v2/campaigns/${campaignId}/orders/${orderId}/buyer`,
				schema: YmBuyerAnswerSchema,
			}),
		/** getOrderBusinessBuyerInfo: a business buyer's INN/KPP (POST with no body, research §7.3). */
		businessBuyer: (campaignId: number, orderId: number) =>
			call({
				method: 'POST',
				path: `/v2/campaigns/${campaignId}/orders/${orderId}/business-buyer`,
				schema: YmBusinessBuyerAnswerSchema,
			}),
	};
}
