import type { MarketplaceSync, StoredPage, SyncContext, SyncState } from '../../core/ports/marketplace.ts';
import { pageKey, percentOf } from '../common/page-key.ts';
import { createYmClient, YM_PARALLEL, type YmDates } from './client.ts';
import { type YmOrder, YmOrderSchema } from './schemas.ts';

const DAY = 86_400_000;
const MSK = 3 * 3_600_000;
/** Buyer info and business-buyer info are 3 000 calls an hour each (research §7.2); keep some for the shop's own tools. */
const BUYER_QUOTA = 2_700;
const BUYER_STATUSES = new Set(['PROCESSING', 'DELIVERY', 'PICKUP']);
/** getOrderBusinessBuyerInfo answers in these statuses (spec: business-buyer). */
const BUSINESS_STATUSES = new Set(['PROCESSING', 'DELIVERY', 'PICKUP', 'DELIVERED']);
/** Live sweeps re-read orders updated since the last sweep began, with a margin for clock skew. */
const OVERLAP = 5 * 60_000;

interface Slice {
	from: number;
	to: number;
	token: string;
	done: boolean;
}

interface YmCursor {
	sweep?: { mode: 'creation' | 'update'; startedAt: number; slices: Slice[] };
	lastSweepStartedAt?: number;
	buyerQuota?: Quota;
	businessQuota?: Quota;
}

interface Quota {
	windowStart: number;
	used: number;
}

const mskDay = (ms: number) => new Date(ms + MSK).toISOString().slice(0, 10);

/** Splits the backfill into day-aligned slices (Market filters creation by Moscow day), ≤ 30 days each. */
function slicesOf(from: number, to: number): Slice[] {
	const days = Math.ceil((to - from) / DAY) + 1;
	const count = Math.max(YM_PARALLEL, Math.ceil(days / 30));
	const per = Math.ceil(days / count);
	const slices: Slice[] = [];
	for (let start = from; start <= to; start += per * DAY) {
		slices.push({ from: start, to: Math.min(to, start + (per - 1) * DAY), token: '', done: false });
	}
	return slices;
}

/**
 * Backfill: the period split into day slices paged in parallel (4 in flight: Market's ceiling),
 * 50 orders a page. Live: orders updated since the previous sweep. DBS orders in the statuses
 * where Market names the buyer get one buyer lookup each, business buyers one business-buyer
 * lookup each, inside the hourly quotas.
 */
export function createYmSync(ctx: SyncContext, baseUrl: string | undefined): MarketplaceSync {
	const client = createYmClient(ctx.connection, baseUrl, ctx.signal);
	const businessId = Number(ctx.connection.settings.businessId);
	const campaignIds = ctx.connection.settings.campaignIds as number[] | undefined;
	let state: SyncState | undefined;

	/** Takes up to `wanted` calls from an hourly quota kept in the cursor; answers how many it may make. */
	function allow(cursor: YmCursor, key: 'buyerQuota' | 'businessQuota', wanted: number): number {
		const now = ctx.now();
		const held = cursor[key];
		const quota = held && now - held.windowStart < 3_600_000 ? held : { windowStart: now, used: 0 };
		cursor[key] = quota;
		const allowed = Math.min(wanted, Math.max(0, BUYER_QUOTA - quota.used));
		quota.used += allowed;
		return allowed;
	}

	/**
	 * Who bought, where Market says: DBS buyers' ids and names (`/buyer`), and business buyers' INN
	 * and KPP (`/business-buyer`) for orders Market marks BUSINESS — by the list's `buyerType` (FBS,
	 * FBY) or the DBS buyer's `type`. An order's lookups are made once: a business order whose
	 * INN the quota cannot pay for now keeps its person buyer back too, so a later poll asks for both.
	 */
	async function buyersFor(orders: YmOrder[], cursor: YmCursor) {
		const isDbs = (o: YmOrder) => o.programType === 'DBS' && BUYER_STATUSES.has(o.status);
		const candidates = orders.filter(
			(o) => isDbs(o) || (o.buyerType === 'BUSINESS' && BUSINESS_STATUSES.has(o.status)),
		);
		const known = await ctx.store.knownBuyers(candidates.map((o) => String(o.orderId)));
		const open = candidates.filter((o) => !known.has(String(o.orderId)));
		const dbs = open.filter(isDbs);
		const people = await lookUp(dbs, allow(cursor, 'buyerQuota', dbs.length), client.buyer);
		const business = open.filter(
			(o) =>
				BUSINESS_STATUSES.has(o.status) &&
				(o.buyerType === 'BUSINESS' || people.get(o.orderId)?.type === 'BUSINESS'),
		);
		const companies = await lookUp(
			business,
			allow(cursor, 'businessQuota', business.length),
			client.businessBuyer,
		);
		for (const o of business) if (!companies.has(o.orderId)) people.delete(o.orderId);
		return {
			buyers: [...people].map(([orderId, buyer]) => ({ orderId, buyer })),
			businessBuyers: [...companies].map(([orderId, buyer]) => ({ orderId, buyer })),
		};
	}

	/** The first `allowed` orders' answers by order id; an order Market refuses to answer for is left out. */
	async function lookUp<T>(
		orders: YmOrder[],
		allowed: number,
		call: (campaignId: number, orderId: number) => Promise<{ result: T }>,
	): Promise<Map<number, T>> {
		const found = new Map<number, T>();
		await Promise.all(
			orders.slice(0, allowed).map(async (o) => {
				const answer = await call(o.campaignId, o.orderId).catch(() => undefined);
				if (answer) found.set(o.orderId, answer.result);
			}),
		);
		return found;
	}

	async function fetchSlice(slice: Slice, mode: 'creation' | 'update', cursor: YmCursor) {
		const dates: YmDates =
			mode === 'creation'
				? { creationDateFrom: mskDay(slice.from), creationDateTo: mskDay(slice.to) }
				: {
						updateDateFrom: new Date(slice.from).toISOString(),
						updateDateTo: new Date(slice.to).toISOString(),
					};
		const page = await client.orders(
			businessId,
			{ dates, ...(campaignIds ? { campaignIds } : {}) },
			slice.token,
		);
		const orders = page.orders.map((raw) => YmOrderSchema.parse(raw));
		const { buyers, businessBuyers } = await buyersFor(orders, cursor);
		return { page, orders, buyers, businessBuyers };
	}

	return {
		async step() {
			state ??= (await ctx.store.load()) ?? undefined;
			if (!state) throw new Error('no sync state for this connection');
			const progress = state.progress;
			const cursor = state.cursor as YmCursor;
			const now = ctx.now();
			if (!cursor.sweep) {
				if (progress.phase === 'backfill') {
					cursor.sweep = {
						mode: 'creation',
						startedAt: now,
						slices: slicesOf(progress.backfillFrom, progress.backfillTo),
					};
				} else {
					const from = Math.max((cursor.lastSweepStartedAt ?? now) - OVERLAP, now - 29 * DAY);
					cursor.sweep = {
						mode: 'update',
						startedAt: now,
						slices: [{ from, to: now, token: '', done: false }],
					};
				}
			}
			const sweep = cursor.sweep;
			const open = sweep.slices.filter((s) => !s.done).slice(0, YM_PARALLEL);
			const results = await Promise.all(open.map((slice) => fetchSlice(slice, sweep.mode, cursor)));
			const fetchedAt = ctx.now();
			const pages: StoredPage[] = [];
			results.forEach((r, i) => {
				const slice = open[i]!;
				if (r.page.orders.length > 0) {
					// businessBuyers only when there are some: pages without keep the keys they always had.
					const content = {
						orders: r.page.orders,
						buyers: r.buyers,
						...(r.businessBuyers.length > 0 ? { businessBuyers: r.businessBuyers } : {}),
					};
					pages.push({
						sourceKey: pageKey('yandex-market', ctx.connection.connectionId, content),
						payload: { kind: 'ym-page', fetchedAt, ...content },
					});
				}
				const next = r.page.paging.nextPageToken;
				if (next) slice.token = next;
				else slice.done = true;
				if (progress.phase === 'backfill') {
					progress.pages += 1;
					progress.ordersSeen += r.orders.length;
				}
			});
			if (progress.phase === 'backfill') {
				const total = sweep.slices.reduce((sum, s) => sum + (s.to - s.from + DAY), 0);
				const walked = sweep.slices.reduce((sum, s) => {
					if (s.done) return sum + (s.to - s.from + DAY);
					const last = results[open.indexOf(s)]?.orders.at(-1);
					const at = last ? Date.parse(last.creationDate) : s.from;
					return sum + (percentOf(at, s.from, s.to + DAY) / 100) * (s.to - s.from + DAY);
				}, 0);
				progress.percent = Math.min(99.9, (walked / total) * 100);
			}
			const finished = sweep.slices.every((s) => s.done);
			if (finished) {
				cursor.lastSweepStartedAt = sweep.startedAt;
				cursor.sweep = undefined;
				progress.lastPollAt = fetchedAt;
				progress.lastError = null;
				if (progress.phase === 'backfill') {
					progress.phase = 'live';
					progress.percent = 100;
					progress.backfillFinishedAt = fetchedAt;
				}
			}
			await ctx.store.commit(pages, state);
			return finished ? 'idle' : 'more';
		},
	};
}
