import type { MarketplaceSync, StoredPage, SyncContext, SyncState } from '../../core/ports/marketplace.ts';
import { pageKey, percentOf } from '../common/page-key.ts';
import { createOzonClient, isMissingEndpoint, type OzonPage } from './client.ts';

const PAGE = 1000;
/** /v3/posting/fbo/list refuses offsets past 20 000 (research §5.4): restart the window after the last posting. */
const FBO_MAX_OFFSET = 20_000;
const DAY = 86_400_000;

interface OzonCursor {
	fbsApi?: 'v4' | 'v3';
	fboApi?: 'v3' | 'v2';
	sweep?: { from: number; to: number; scheme: 'fbs' | 'fbo'; cursor: string; offset: number };
}

/**
 * Sweeps the period's FBS/rFBS postings (v4 cursor list, v3 if v4 is missing) then FBO postings,
 * one page per step. Each page is stored together with the next cursor, so a restart resumes at
 * the page after the last stored one. The first sweep is the backfill; later ones reconcile what
 * pushes missed or could not say (FBO has no pushes at all).
 */
export function createOzonSync(ctx: SyncContext, baseUrl: string | undefined): MarketplaceSync {
	const client = createOzonClient(ctx.connection, baseUrl, ctx.signal);
	let state: SyncState | undefined;
	// The next page, asked for while this one is being stored: the walk is a chain of requests, and
	// storing waits for the database (which may be busy applying the page before).
	let ahead: { key: string; cursor: OzonCursor; page: Promise<OzonPage> } | undefined;

	/** The page the cursor points at: the one fetched ahead when it is that page, else asked now. */
	async function pageAt(c: OzonCursor): Promise<OzonPage> {
		const prefetched = ahead?.key === JSON.stringify(c) ? ahead : undefined;
		ahead = undefined;
		if (!prefetched) return await fetchPage(c);
		const page = await prefetched.page;
		// Which API versions answered (a retired one is not asked again).
		c.fbsApi = prefetched.cursor.fbsApi;
		c.fboApi = prefetched.cursor.fboApi;
		return page;
	}

	/** Starts fetching the page after this one; a failure surfaces when (and if) the next step reads it. */
	function fetchAhead(c: OzonCursor): void {
		const copy = structuredClone(c);
		const page = fetchPage(copy);
		page.catch(() => undefined); // a stop or a restart may leave it unread
		ahead = { key: JSON.stringify(c), cursor: copy, page };
	}

	async function fetchPage(c: OzonCursor): Promise<OzonPage> {
		const s = c.sweep!;
		const window = { since: s.from, to: s.to };
		if (s.scheme === 'fbs') {
			if ((c.fbsApi ?? 'v4') === 'v4') {
				try {
					return await client.fbsV4(window, s.cursor, PAGE);
				} catch (error) {
					if (!isMissingEndpoint(error)) throw error;
					c.fbsApi = 'v3';
				}
			}
			return await client.fbsV3(window, s.offset, PAGE);
		}
		try {
			return await client.fbo(c.fboApi ?? 'v3', window, s.offset, PAGE);
		} catch (error) {
			if (!isMissingEndpoint(error) || c.fboApi === 'v2') throw error;
			c.fboApi = 'v2';
			return await client.fbo('v2', window, s.offset, PAGE);
		}
	}

	return {
		async step() {
			state ??= (await ctx.store.load()) ?? undefined;
			if (!state) throw new Error('no sync state for this connection');
			const progress = state.progress;
			const cursor = state.cursor as OzonCursor;
			const now = ctx.now();
			if (!cursor.sweep) {
				const backfill = progress.phase === 'backfill';
				const span = progress.backfillTo - progress.backfillFrom;
				cursor.sweep = {
					from: backfill ? progress.backfillFrom : now - Math.min(span, 30 * DAY),
					to: backfill ? progress.backfillTo : now,
					scheme: 'fbs',
					cursor: '',
					offset: 0,
				};
			}
			const sweep = cursor.sweep;
			const page = await pageAt(cursor);
			const fetchedAt = ctx.now();
			const pages: StoredPage[] = [];
			if (page.postings.length > 0) {
				pages.push({
					sourceKey: pageKey('ozon', ctx.connection.connectionId, page.postings),
					payload: { kind: 'ozon-page', scheme: sweep.scheme, fetchedAt, postings: page.postings },
				});
			}
			const lastAt = lastTime(page.postings);
			if (progress.phase === 'backfill') {
				progress.pages += 1;
				progress.ordersSeen += page.postings.length;
				const within = lastAt === undefined ? 0 : percentOf(lastAt, sweep.from, sweep.to);
				progress.percent = sweep.scheme === 'fbs' ? within / 2 : 50 + within / 2;
			}
			let finished = false;
			if (page.hasNext) {
				if (page.cursor !== undefined && (cursor.fbsApi ?? 'v4') === 'v4' && sweep.scheme === 'fbs') {
					sweep.cursor = page.cursor;
				} else if (sweep.offset + 2 * PAGE > FBO_MAX_OFFSET && lastAt !== undefined) {
					sweep.from = lastAt;
					sweep.offset = 0;
				} else {
					sweep.offset += PAGE;
				}
			} else if (sweep.scheme === 'fbs') {
				cursor.sweep = { ...sweep, scheme: 'fbo', cursor: '', offset: 0 };
			} else {
				finished = true;
				cursor.sweep = undefined;
				progress.lastPollAt = fetchedAt;
				progress.lastError = null;
				if (progress.phase === 'backfill') {
					progress.phase = 'live';
					progress.percent = 100;
					progress.backfillFinishedAt = fetchedAt;
				}
			}
			if (!finished) fetchAhead(cursor);
			await ctx.store.commit(pages, state);
			return finished ? 'idle' : 'more';
		},
	};
}

function lastTime(postings: unknown[]): number | undefined {
	const last = postings.at(-1) as { in_process_at?: unknown; created_at?: unknown } | undefined;
	const iso = last?.in_process_at ?? last?.created_at;
	const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
	return Number.isNaN(ms) ? undefined : ms;
}
