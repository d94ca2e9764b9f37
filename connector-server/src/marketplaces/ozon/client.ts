import type { z } from 'zod';
import type { MarketplaceConnectionRef } from '../../core/ports/marketplace.ts';
import { type ApiCall, createApiClient, PlatformRequestError } from '../common/http.ts';
import { sharedLimiter, TokenBucket } from '../common/limiter.ts';
import { FboListSchema, FbsListV3Schema, FbsListV4Schema } from './schemas.ts';

export const OZON_API = 'https://api-seller.ozon.ru';
/** Ozon allows 50 requests per second per Client-Id (research §5.1); we stay under with a smaller burst. */
export const ozonLimit = { capacity: 25, perSecond: 45 } as const;
const buckets = new Map<string, TokenBucket>();

export interface OzonWindow {
	since: number;
	to: number;
}

export interface OzonPage {
	postings: unknown[];
	/** v4: the next cursor; v3/FBO: undefined (offset paging). */
	cursor: string | undefined;
	hasNext: boolean;
}

/** Ozon Seller API calls Nitka makes: posting lists, newest endpoints first, older ones as fallback. */
export function createOzonClient(
	connection: MarketplaceConnectionRef,
	baseUrl = OZON_API,
	signal?: AbortSignal,
) {
	const clientId = connection.credentials.clientId ?? '';
	const bucket = sharedLimiter(
		buckets,
		clientId,
		() => new TokenBucket(ozonLimit.capacity, ozonLimit.perSecond),
	);
	const call = createApiClient({
		baseUrl,
		headers: { 'Client-Id': clientId, 'Api-Key': connection.credentials.apiKey ?? '' },
		gate: async (attempt) => {
			await bucket.take(signal);
			return await attempt();
		},
		// Ozon's 429 names no delay: wait out one second, the window its limit is counted in.
		rateLimit: (status) => (status === 429 ? 1_000 : undefined),
		onRateLimited: () => bucket.drain(),
		...(signal ? { signal } : {}),
	});
	const post = <S extends z.ZodType>(path: string, body: unknown, schema: S) =>
		call({ method: 'POST', path, body, schema } satisfies ApiCall<S>);
	const filter = (w: OzonWindow) => ({
		since: new Date(w.since).toISOString(),
		to: new Date(w.to).toISOString(),
	});
	const withFlags = { legal_info: true };

	return {
		async fbsV4(w: OzonWindow, cursor: string, limit: number): Promise<OzonPage> {
			const r = await post(
				'/v4/posting/fbs/list',
				{ sort_dir: 'ASC', filter: filter(w), limit, cursor, with: withFlags },
				FbsListV4Schema,
			);
			return { postings: r.postings, cursor: r.cursor, hasNext: r.has_next };
		},
		async fbsV3(w: OzonWindow, offset: number, limit: number): Promise<OzonPage> {
			const r = await post(
				'/v3/posting/fbs/list',
				{ dir: 'ASC', filter: filter(w), limit, offset, with: withFlags },
				FbsListV3Schema,
			);
			return { postings: r.result.postings, cursor: undefined, hasNext: r.result.has_next };
		},
		async fbo(version: 'v3' | 'v2', w: OzonWindow, offset: number, limit: number): Promise<OzonPage> {
			const r = await post(
				`/${version}/posting/fbo/list`,
				{ dir: 'ASC', filter: filter(w), limit, offset, with: withFlags },
				FboListSchema,
			);
			return { postings: r.result, cursor: undefined, hasNext: r.result.length === limit };
		},
	};
}

export type OzonClient = ReturnType<typeof createOzonClient>;

/** True for "this endpoint is not there" — the v4/v3 successors not yet (or no longer) served. */
export const isMissingEndpoint = (error: unknown) =>
	error instanceof PlatformRequestError && error.status === 404;
