import type { MarketplaceSync, StoredPage, SyncContext, SyncState } from '../../core/ports/marketplace.ts';
import { pageKey, percentOf } from '../common/page-key.ts';
import { createWbClient } from './client.ts';
import type { WbB2bListSchema, WbClientsSchema } from './schemas.ts';

const PAGE = 1000;
const DAY = 86_400_000;
/** The order lists take at most 30 days per call (research §6.3). */
const MAX_SPAN = 30 * DAY;

interface WbCursor {
	sweep?: { from: number; to: number; chunkFrom: number; type: 'fbs' | 'dbs'; next: number };
}

type Clients = typeof WbClientsSchema._output.orders;
type B2b = typeof WbB2bListSchema._output.orders;

/**
 * Sweeps FBS then DBS assembly tasks of the period in ≤ 30-day chunks, 1000 a page; each page is
 * stored with its statuses (and, for DBS, buyer names and business INNs) fetched in one batch per
 * kind, together with the next cursor. WB has no pushes: the sweeps are also how statuses move.
 */
export function createWbSync(ctx: SyncContext, baseUrl: string | undefined): MarketplaceSync {
	const client = createWbClient(ctx.connection, baseUrl, ctx.signal);
	let state: SyncState | undefined;

	return {
		async step() {
			state ??= (await ctx.store.load()) ?? undefined;
			if (!state) throw new Error('no sync state for this connection');
			const progress = state.progress;
			const cursor = state.cursor as WbCursor;
			const now = ctx.now();
			if (!cursor.sweep) {
				const backfill = progress.phase === 'backfill';
				const from = backfill
					? progress.backfillFrom
					: now - Math.min(progress.backfillTo - progress.backfillFrom, MAX_SPAN);
				cursor.sweep = {
					from,
					to: backfill ? progress.backfillTo : now,
					chunkFrom: from,
					type: 'fbs',
					next: 0,
				};
			}
			const s = cursor.sweep;
			const chunkTo = Math.min(s.chunkFrom + MAX_SPAN, s.to);
			const list = await client.list(s.type, {
				limit: PAGE,
				next: s.next,
				dateFrom: Math.floor(s.chunkFrom / 1000),
				dateTo: Math.floor(chunkTo / 1000),
			});
			const pages: StoredPage[] = [];
			let lastAt: number | undefined;
			if (list.orders.length > 0) {
				const ids = list.orders.map((o) => (o as { id: number }).id);
				const statuses = (await client.statuses(s.type, ids)).orders;
				let clients: Clients = [];
				let b2b: B2b = [];
				if (s.type === 'dbs') {
					clients = (await client.clients(ids)).orders;
					b2b = (await client.b2b(ids)).orders;
				}
				const content = { type: s.type, orders: list.orders, statuses, clients, b2b };
				pages.push({
					sourceKey: pageKey('wildberries', ctx.connection.connectionId, content),
					payload: { kind: 'wb-page', fetchedAt: ctx.now(), ...content },
				});
				const last = list.orders.at(-1) as { createdAt?: string };
				lastAt = last.createdAt ? Date.parse(last.createdAt) : undefined;
			}
			if (progress.phase === 'backfill') {
				progress.pages += 1;
				progress.ordersSeen += list.orders.length;
				const within =
					lastAt === undefined ? percentOf(chunkTo, s.from, s.to) : percentOf(lastAt, s.from, s.to);
				progress.percent = s.type === 'fbs' ? within / 2 : 50 + within / 2;
			}
			let finished = false;
			if (list.orders.length === PAGE) {
				s.next = list.next;
			} else if (chunkTo < s.to) {
				s.chunkFrom = chunkTo + 1000;
				s.next = 0;
			} else if (s.type === 'fbs') {
				cursor.sweep = { ...s, type: 'dbs', chunkFrom: s.from, next: 0 };
			} else {
				finished = true;
				cursor.sweep = undefined;
				progress.lastPollAt = ctx.now();
				progress.lastError = null;
				if (progress.phase === 'backfill') {
					progress.phase = 'live';
					progress.percent = 100;
					progress.backfillFinishedAt = ctx.now();
				}
			}
			await ctx.store.commit(pages, state);
			return finished ? 'idle' : 'more';
		},
	};
}
