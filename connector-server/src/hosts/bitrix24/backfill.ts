import type { Order } from '@nitka/shared';
import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';
import { type HostLocks, LockTimeoutError } from '../../core/ports/host-locks.ts';
import { type BackfillOrder, BackfillPlan } from './backfill-plan.ts';
import { type BackfillProgress, backfillState, type Inflight } from './backfill-state.ts';
import type { ClientPool } from './client-pool.ts';
import { CONTACT_IDENTITY } from './crm-contacts.ts';
import { DEAL_RECORD, dealKey, stageFor } from './crm-deals.ts';
import { Bitrix24ApiError } from './errors.ts';
import type { BatchCommand, BatchOutcome, Bitrix24RestClient, PortalLimits } from './rest-client.ts';
import type { Bitrix24Settings } from './schemas.ts';
import { orderLogEntry } from './timeline-log.ts';

/** A tenant's stored orders, newest first, keyset-paged (the core's order list). */
export type OrderPages = (
	tenantId: string,
	before: string | undefined,
	limit: number,
) => Promise<{ items: Order[]; next: string | null }>;

export interface BackfillDeps {
	pool: ClientPool;
	links: HostLinks;
	/** One run per tenant across processes: the run holds `bitrix24-backfill:<tenant>`, kept alive. */
	locks: HostLocks;
	orders: OrderPages;
	settings: (tenantId: string) => Promise<Bitrix24Settings>;
	limits: PortalLimits;
	now: () => number;
	sleep?: (ms: number) => Promise<void>;
	onError: (error: unknown) => void;
}

/** How long a run's lock outlives a process that died holding it (renewed every third of it). */
const LOCK_TTL_MS = 60_000;
const lockName = (tenantId: string) => `bitrix24-backfill:${tenantId}`;

const IdRows = z.array(z.object({ ID: z.coerce.string() }));
const LogRows = z.object({ logMessages: z.array(z.object({ title: z.string() })) });
/** A deal record's data: `logged` is false while the order's timeline entry is still owed. */
const DealData = z.object({ logged: z.boolean().optional() }).passthrough();
const TOKEN_CODES = new Set(['expired_token', 'invalid_token']);

/**
 * Backfill of a tenant's stored marketplace orders into Bitrix24 deals, packed 50 commands a
 * request (BackfillPlan) through the portal's pooled client, whose leaky bucket every other call
 * for the portal shares. Idempotent: an order with a deal record is skipped, and the commands of
 * the batch in flight are journaled first, so after a crash they are found by ORIGIN_ID, not
 * created again. One run per tenant per process.
 */
export function createBackfill(deps: BackfillDeps) {
	const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
	const runs = new Map<string, { progress: BackfillProgress; done: Promise<void> }>();
	const iso = () => new Date(deps.now()).toISOString();

	async function send(
		client: Bitrix24RestClient,
		progress: BackfillProgress,
		commands: Record<string, BatchCommand>,
		halt: boolean,
	): Promise<BatchOutcome> {
		for (let attempt = 0; ; attempt++) {
			try {
				progress.requests += 1;
				const outcome = await client.batch(commands, { halt });
				progress.commands += Object.keys(outcome.results).length + Object.keys(outcome.errors).length;
				return outcome;
			} catch (error) {
				if (!(error instanceof Bitrix24ApiError) || attempt >= 50) throw error;
				if (error.code === 'QUERY_LIMIT_EXCEEDED' || error.status === 503) {
					// The bucket refused the whole request: nothing ran; wait one drain interval.
					progress.limited += 1;
					await sleep(Math.ceil(1000 / deps.limits.drainPerSecond));
				} else if (error.code === 'OPERATION_TIME_LIMIT' || error.status === 429) {
					await sleep(Math.ceil(20_000 / deps.limits.drainPerSecond));
				} else if (TOKEN_CODES.has(error.code) || error.status >= 500 || error.status === 0) {
					if (attempt >= 5) throw error;
					await sleep(Math.min(200 * 2 ** attempt, 5_000));
				} else throw error;
			}
		}
	}

	/** After a crash: what the journaled batch created is found by ORIGIN_ID and recorded. */
	async function reconcile(
		tenantId: string,
		client: Bitrix24RestClient,
		progress: BackfillProgress,
		inflight: Inflight,
		byKey: Map<string, BackfillOrder>,
		settings: Bitrix24Settings,
	) {
		const commands: Record<string, BatchCommand> = {};
		const missing = { contacts: [] as string[], deals: [] as string[] };
		for (const customerId of inflight.contacts)
			if (!(await deps.links.contactOf(tenantId, customerId, CONTACT_IDENTITY)))
				missing.contacts.push(customerId);
		for (const key of inflight.deals)
			if (!(await deps.links.getRecord(tenantId, DEAL_RECORD, key))) missing.deals.push(key);
		missing.contacts.forEach((id, i) => {
			commands[`c${i}`] = {
				method: 'crm.contact.list',
				params: { filter: { ORIGINATOR_ID: 'nitka', ORIGIN_ID: id }, select: ['ID'] },
			};
		});
		missing.deals.forEach((key, i) => {
			commands[`d${i}`] = {
				method: 'crm.deal.list',
				params: { filter: { ORIGINATOR_ID: 'nitka', ORIGIN_ID: key }, select: ['ID'] },
			};
		});
		if (Object.keys(commands).length === 0) return;
		const outcome = await send(client, progress, commands, false);
		for (const [i, customerId] of missing.contacts.entries()) {
			const found = IdRows.safeParse(outcome.results[`c${i}`]);
			if (!found.success && outcome.errors[`c${i}`])
				throw new Error(`reconciling contacts: ${outcome.errors[`c${i}`]!.code}`);
			const id = found.success ? found.data[0]?.ID : undefined;
			if (id)
				await deps.links.linkContact(tenantId, {
					type: CONTACT_IDENTITY,
					contactId: id,
					identifiers: [],
					customerId,
				});
		}
		for (const [i, key] of missing.deals.entries()) {
			const found = IdRows.safeParse(outcome.results[`d${i}`]);
			if (!found.success && outcome.errors[`d${i}`])
				throw new Error(`reconciling deals: ${outcome.errors[`d${i}`]!.code}`);
			const id = found.success ? found.data[0]?.ID : undefined;
			const order = byKey.get(key);
			if (id && order) {
				const stage = stageFor(settings, order.source, order.status) ?? null;
				const owed = inflight.logs.includes(key) ? { logged: false } : {};
				await deps.links.putRecord(tenantId, DEAL_RECORD, key, id, { stage, status: order.status, ...owed });
			}
		}
		await reconcileLogs(tenantId, client, progress, inflight, byKey);
	}

	/**
	 * The journaled batch's timeline entries: one whose deal stands and whose entry is on the
	 * contact's timeline (its newest pages) is recorded as written, not written twice.
	 */
	async function reconcileLogs(
		tenantId: string,
		client: Bitrix24RestClient,
		progress: BackfillProgress,
		inflight: Inflight,
		byKey: Map<string, BackfillOrder>,
	) {
		// The batch's entries, per contact: they are its newest, read 10 a page (the method's fixed size).
		const byContact = new Map<
			string,
			{ key: string; order: BackfillOrder; dealId: string; data: Record<string, unknown> }[]
		>();
		for (const key of inflight.logs) {
			const record = await deps.links.getRecord(tenantId, DEAL_RECORD, key);
			const order = byKey.get(key);
			if (!record || !order || DealData.parse(record.data).logged !== false) continue;
			const contactId = await deps.links.contactOf(tenantId, order.customerId, CONTACT_IDENTITY);
			if (!contactId) continue;
			const list = byContact.get(contactId) ?? [];
			list.push({ key, order, dealId: record.remoteId, data: record.data });
			byContact.set(contactId, list);
		}
		if (byContact.size === 0) return;
		const commands: Record<string, BatchCommand> = {};
		const pagesOf = new Map<string, string[]>();
		for (const [contactId, list] of byContact) {
			// One page more than the batch's own entries fill, for entries written since.
			const pages = Math.min(Math.ceil(list.length / 10) + 1, 5);
			const keys: string[] = [];
			for (let page = 0; page < pages; page++) {
				const key = `g${Object.keys(commands).length}`;
				commands[key] = {
					method: 'crm.timeline.logmessage.list',
					params: { entityTypeId: 3, entityId: Number(contactId), order: { id: 'desc' }, start: page * 10 },
				};
				keys.push(key);
			}
			pagesOf.set(contactId, keys);
		}
		const outcome = await send(client, progress, commands, false);
		for (const [contactId, list] of byContact) {
			const titles = new Set<string>();
			for (const key of pagesOf.get(contactId) ?? []) {
				const found = LogRows.safeParse(outcome.results[key]);
				if (found.success) for (const m of found.data.logMessages) titles.add(m.title);
				else if (outcome.errors[key])
					throw new Error(`reconciling log entries: ${outcome.errors[key]!.code}`);
			}
			for (const check of list)
				if (titles.has(orderLogEntry(check.order).title))
					await deps.links.putRecord(tenantId, DEAL_RECORD, check.key, check.dealId, {
						...check.data,
						logged: true,
					});
		}
	}

	async function loadOrders(tenantId: string): Promise<BackfillOrder[]> {
		const all: BackfillOrder[] = [];
		let before: string | undefined;
		do {
			const page = await deps.orders(tenantId, before, 500);
			for (const o of page.items)
				all.push({
					source: o.source,
					orderId: o.externalId,
					number: o.number,
					status: o.status,
					customerId: o.customerId,
				});
			before = page.next ?? undefined;
		} while (before);
		// Oldest first, so deals appear in the order the shop sold.
		return all.reverse();
	}

	async function run(tenantId: string, progress: BackfillProgress, signal: AbortSignal) {
		const state = backfillState(deps.links, tenantId);
		const { inflight } = await state.load();
		const save = (journal: Inflight) => state.save(progress, journal);
		try {
			const settings = await deps.settings(tenantId);
			const client = await deps.pool.forTenant(tenantId);
			const orders = await loadOrders(tenantId);
			progress.total = orders.length;
			await reconcile(
				tenantId,
				client,
				progress,
				inflight,
				new Map(orders.map((o) => [dealKey(o), o])),
				settings,
			);
			// Orders without a deal, and deals this backfill made whose timeline entry is still owed.
			const pending: BackfillOrder[] = [];
			let withDeal = 0;
			for (const order of orders) {
				const record = await deps.links.getRecord(tenantId, DEAL_RECORD, dealKey(order));
				if (!record) pending.push(order);
				else {
					withDeal += 1;
					if (DealData.parse(record.data).logged === false)
						pending.push({ ...order, dealId: record.remoteId });
				}
			}
			progress.done = withDeal;
			await save({ contacts: [], deals: [], logs: [] });
			const plan = new BackfillPlan(pending, tenantId, deps.links, settings);
			const before = progress.done;
			while (plan.pending > 0) {
				// Another process took the lock over (this one stalled past its expiry): stop here.
				if (signal.aborted) throw new Error('the backfill lock was taken over by another process');
				await plan.prepare();
				const batch = plan.build();
				if (batch.meta.size === 0) throw new Error('backfill planned an empty batch');
				const { contacts, deals, logs } = batch.inflight;
				if (contacts.length + deals.length + logs.length > 0) await save(batch.inflight);
				await plan.apply(batch, await send(client, progress, batch.commands, true));
				progress.done = before + plan.done;
				progress.failed = plan.failed;
				progress.logged = plan.logged;
				progress.logsFailed = plan.logsFailed;
			}
			progress.status = 'finished';
		} catch (error) {
			deps.onError(error);
			progress.status = 'failed';
			progress.error = error instanceof Error ? error.message : String(error);
		}
		progress.finishedAt = iso();
		// The last batch's effects are recorded: nothing is in flight any more.
		await save({ contacts: [], deals: [], logs: [] }).catch(deps.onError);
	}

	return {
		/**
		 * Starts (or resumes) the tenant's backfill in the background. A run already going is joined:
		 * in this process its live progress, in another (it holds the tenant's lock) its stored one.
		 */
		async start(tenantId: string): Promise<BackfillProgress> {
			const current = runs.get(tenantId);
			if (current?.progress.status === 'running') return { ...current.progress };
			await deps.pool.forTenant(tenantId); // fail now, not in the background, when not installed
			const progress: BackfillProgress = {
				status: 'running',
				total: 0,
				done: 0,
				failed: 0,
				requests: 0,
				limited: 0,
				commands: 0,
				logged: 0,
				logsFailed: 0,
				startedAt: iso(),
				finishedAt: null,
				error: null,
			};
			let taken!: () => void;
			const acquired = new Promise<void>((resolve) => {
				taken = resolve;
			});
			const done = deps.locks.withLock(
				lockName(tenantId),
				async (lease) => {
					taken();
					await run(tenantId, progress, lease.signal);
				},
				{ waitMs: 0, ttlMs: LOCK_TTL_MS, keepAlive: true },
			);
			const outcome = await Promise.race([
				acquired.then(() => 'ours' as const),
				done.then(() => 'ours' as const),
			]).catch((error: unknown) => {
				if (error instanceof LockTimeoutError) return 'elsewhere' as const;
				throw error;
			});
			if (outcome === 'elsewhere') {
				const stored = (await backfillState(deps.links, tenantId).load()).progress;
				return { ...stored, status: 'running' };
			}
			runs.set(tenantId, { progress, done: done.catch(deps.onError) });
			return { ...progress };
		},
		async progress(tenantId: string): Promise<BackfillProgress> {
			const current = runs.get(tenantId);
			if (current?.progress.status === 'running') return { ...current.progress };
			const stored = (await backfillState(deps.links, tenantId).load()).progress;
			if (stored.status !== 'running') return current ? { ...current.progress } : stored;
			// Stored as running: another process holds the run's lock, or the run was cut short (a
			// restart, a crash) and POST resumes it.
			if (await deps.locks.isHeld(lockName(tenantId))) return stored;
			return { ...stored, status: 'failed', error: 'interrupted' };
		},
		/** Resolves when the tenant's current run ends (tests, the benchmark). */
		async settled(tenantId: string): Promise<void> {
			await runs.get(tenantId)?.done;
		},
	};
}
export type Backfill = ReturnType<typeof createBackfill>;
