import type { Order } from '@nitka/shared';
import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';
import { type BackfillOrder, BackfillPlan } from './backfill-plan.ts';
import { type BackfillProgress, backfillState, type Inflight } from './backfill-state.ts';
import type { ClientPool } from './client-pool.ts';
import { CONTACT_IDENTITY } from './crm-contacts.ts';
import { DEAL_RECORD, dealKey, stageFor } from './crm-deals.ts';
import { Bitrix24ApiError } from './errors.ts';
import type { BatchCommand, BatchOutcome, Bitrix24RestClient, PortalLimits } from './rest-client.ts';
import type { Bitrix24Settings } from './schemas.ts';

/** A tenant's stored orders, newest first, keyset-paged (the core's order list). */
export type OrderPages = (
	tenantId: string,
	before: string | undefined,
	limit: number,
) => Promise<{ items: Order[]; next: string | null }>;

export interface BackfillDeps {
	pool: ClientPool;
	links: HostLinks;
	orders: OrderPages;
	settings: (tenantId: string) => Promise<Bitrix24Settings>;
	limits: PortalLimits;
	now: () => number;
	sleep?: (ms: number) => Promise<void>;
	onError: (error: unknown) => void;
}

const IdRows = z.array(z.object({ ID: z.coerce.string() }));
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
				await deps.links.putRecord(tenantId, DEAL_RECORD, key, id, { stage, status: order.status });
			}
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

	async function run(tenantId: string, progress: BackfillProgress) {
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
			const pending: BackfillOrder[] = [];
			for (const order of orders)
				if (!(await deps.links.getRecord(tenantId, DEAL_RECORD, dealKey(order)))) pending.push(order);
			progress.done = orders.length - pending.length;
			await save({ contacts: [], deals: [] });
			const plan = new BackfillPlan(pending, tenantId, deps.links, settings);
			const before = progress.done;
			while (plan.pending > 0) {
				await plan.prepare();
				const batch = plan.build();
				if (batch.meta.size === 0) throw new Error('backfill planned an empty batch');
				if (batch.inflight.contacts.length + batch.inflight.deals.length > 0) await save(batch.inflight);
				await plan.apply(batch, await send(client, progress, batch.commands, true));
				progress.done = before + plan.done;
				progress.failed = plan.failed;
			}
			progress.status = 'finished';
		} catch (error) {
			deps.onError(error);
			progress.status = 'failed';
			progress.error = error instanceof Error ? error.message : String(error);
		}
		progress.finishedAt = iso();
		// The last batch's effects are recorded: nothing is in flight any more.
		await save({ contacts: [], deals: [] }).catch(deps.onError);
	}

	return {
		/** Starts (or resumes) the tenant's backfill in the background; a running one is left alone. */
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
				startedAt: iso(),
				finishedAt: null,
				error: null,
			};
			runs.set(tenantId, { progress, done: run(tenantId, progress) });
			return { ...progress };
		},
		async progress(tenantId: string): Promise<BackfillProgress> {
			const current = runs.get(tenantId);
			if (current) return { ...current.progress };
			const stored = (await backfillState(deps.links, tenantId).load()).progress;
			// A run this process does not know was cut short (a restart): POST resumes it.
			return stored.status === 'running' ? { ...stored, status: 'failed', error: 'interrupted' } : stored;
		},
		/** Resolves when the tenant's current run ends (tests, the benchmark). */
		async settled(tenantId: string): Promise<void> {
			await runs.get(tenantId)?.done;
		},
	};
}
export type Backfill = ReturnType<typeof createBackfill>;
