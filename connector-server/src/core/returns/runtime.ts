import type { ReturnDto, ReturnSettings, ReturnState } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { ReturnTickets } from '../ports/returns.ts';
import type { ReturnDeps } from './deps.ts';
import { createReturnReactor } from './return-reactor.ts';
import {
	approveReturn,
	getReturn,
	listReturns,
	loadSettings,
	rejectReturn,
	saveSettings,
	ticketFailed,
	ticketInfo,
	toDto,
} from './returns.ts';

/** Journey 3 as the server wires it: the chat/counter reactor, the hosts' port, the admin actions. */
export interface ReturnsRuntime {
	readonly reactor: EventReactor;
	/** What hosts use (tickets, approval by the ticket). */
	readonly tickets: ReturnTickets;
	approve(tenantId: string, returnId: string, by: string): Promise<ReturnDto>;
	reject(tenantId: string, returnId: string, by: string): Promise<ReturnDto>;
	get(tenantId: string, returnId: string): Promise<ReturnDto>;
	list(tenantId: string, state: ReturnState | undefined, limit: number): Promise<ReturnDto[]>;
	settings(tenantId: string): Promise<ReturnSettings>;
	/** Saves the settings; `onSaved` lets a host prepare (bind its ticket events). */
	saveSettings(tenantId: string, settings: ReturnSettings): Promise<ReturnSettings>;
}

export function createReturnsRuntime(
	deps: ReturnDeps & {
		db: Db;
		onSettingsSaved?: (tenantId: string, settings: ReturnSettings) => Promise<void>;
	},
): ReturnsRuntime {
	const { db } = deps;

	/** Approves in its own transaction, enqueues what follows, waits until it is durable. */
	async function approve(tenantId: string, returnId: string, by: string) {
		const at = deps.clock.now();
		const outcome = await db.transaction().execute(async (tx) => {
			const result = await approveReturn(tx, deps, tenantId, returnId, by, at);
			if (result.jobs.length > 0) await enqueueJobs(tx, tenantId, result.jobs, at);
			return result.outcome;
		});
		if (outcome === 'approved') {
			await deps.durable();
			deps.committed();
		}
		return outcome;
	}

	async function reject(tenantId: string, returnId: string, by: string) {
		const at = deps.clock.now();
		const outcome = await db.transaction().execute(async (tx) => {
			const result = await rejectReturn(tx, deps, tenantId, returnId, by, at);
			if (result.jobs.length > 0) await enqueueJobs(tx, tenantId, result.jobs, at);
			return result.outcome;
		});
		if (outcome === 'rejected') {
			await deps.durable();
			deps.committed();
		}
		return outcome;
	}

	const tickets: ReturnTickets = {
		async info(tenantId, returnId) {
			const row = await db
				.selectFrom('returns')
				.selectAll()
				.where('tenant_id', '=', tenantId)
				.where('id', '=', returnId)
				.executeTakeFirst();
			return row ? await ticketInfo(db, tenantId, row) : null;
		},
		async recordTicket(tenantId, returnId, ticket) {
			await db
				.updateTable('returns')
				.set({
					host: ticket.host,
					host_ticket_id: ticket.id,
					host_ticket_url: ticket.url,
					updated_at: deps.clock.now(),
				})
				.where('tenant_id', '=', tenantId)
				.where('id', '=', returnId)
				.execute();
		},
		async byTicket(tenantId, host, ticketId) {
			const row = await db
				.selectFrom('returns')
				.selectAll()
				.where('tenant_id', '=', tenantId)
				.where('host', '=', host)
				.where('host_ticket_id', '=', ticketId)
				.executeTakeFirst();
			return row ? await ticketInfo(db, tenantId, row) : null;
		},
		async openTickets(tenantId, host, limit) {
			const rows = await db
				.selectFrom('returns')
				.select(['id', 'host_ticket_id'])
				.where('tenant_id', '=', tenantId)
				.where('host', '=', host)
				.where('state', '=', 'requested')
				.where('host_ticket_id', 'is not', null)
				.orderBy('created_at')
				.limit(limit)
				.execute();
			return rows.map((r) => ({ returnId: r.id, ticketId: r.host_ticket_id ?? '' }));
		},
		approve,
		reject,
		settings: (tenantId) => loadSettings(db, tenantId),
		ticketFailed: (tx, tenantId, returnId, job) =>
			ticketFailed(tx, deps, tenantId, returnId, job, deps.clock.now()),
	};

	return {
		reactor: createReturnReactor(deps),
		tickets,
		async approve(tenantId, returnId, by) {
			await approve(tenantId, returnId, by);
			return toDto(await getReturn(db, tenantId, returnId));
		},
		async reject(tenantId, returnId, by) {
			await reject(tenantId, returnId, by);
			return toDto(await getReturn(db, tenantId, returnId));
		},
		get: async (tenantId, returnId) => toDto(await getReturn(db, tenantId, returnId)),
		list: async (tenantId, state, limit) => (await listReturns(db, tenantId, state, limit)).map(toDto),
		settings: (tenantId) => loadSettings(db, tenantId),
		async saveSettings(tenantId, settings) {
			const saved = await saveSettings(db, tenantId, settings, deps.clock.now());
			await deps.onSettingsSaved?.(tenantId, saved);
			return saved;
		},
	};
}
