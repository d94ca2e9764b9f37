import type { OutboxJob } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId, toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';

export const DEFAULT_MAX_ATTEMPTS = 12;

/** Enqueues side effects inside the caller's transaction; a repeated dedupe key keeps the first job. */
export async function enqueueJobs(
	tx: Db,
	tenantId: string,
	jobs: OutboxJobInput[],
	at: number,
): Promise<void> {
	for (const job of jobs) {
		await tx
			.insertInto('outbox')
			.values({
				id: newId(at),
				tenant_id: tenantId,
				target: job.target,
				kind: job.kind,
				payload: JSON.stringify(job.payload),
				dedupe_key: job.dedupeKey ?? null,
				status: 'pending',
				attempts: 0,
				max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
				next_attempt_at: job.notBefore ?? at,
				last_error: null,
				created_at: at,
				updated_at: at,
			})
			.onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
			.execute();
	}
}

type OutboxRow = Pick<Database['outbox'], (typeof JOB_COLUMNS)[number]>;

/** The columns a job DTO is made of. */
const JOB_COLUMNS = [
	'id',
	'target',
	'kind',
	'status',
	'attempts',
	'last_error',
	'next_attempt_at',
	'created_at',
	'updated_at',
] as const;

function toDto(row: OutboxRow): OutboxJob {
	return {
		id: row.id,
		target: row.target,
		kind: row.kind,
		// A job being delivered right now is still waiting, as far as anyone outside the worker cares.
		status: (row.status === 'running' ? 'pending' : row.status) as OutboxJob['status'],
		attempts: row.attempts,
		lastError: row.last_error,
		nextAttemptAt: toIso(Number(row.next_attempt_at)),
		createdAt: toIso(Number(row.created_at)),
		updatedAt: toIso(Number(row.updated_at)),
	};
}

/** Dead letters of a tenant, newest first, keyset-paged by id. */
export async function listDeadLetters(db: Db, tenantId: string, limit: number, before?: string) {
	let q = db
		.selectFrom('outbox')
		.select(JOB_COLUMNS)
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'dead');
	if (before) q = q.where('id', '<', before);
	const rows = await q
		.orderBy('id', 'desc')
		.limit(limit + 1)
		.execute();
	const items = rows.slice(0, limit).map(toDto);
	return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** Puts a dead letter back in the queue with a fresh attempt budget. */
export async function retryDeadLetter(db: Db, tenantId: string, id: string, at: number): Promise<OutboxJob> {
	const updated = await db
		.updateTable('outbox')
		.set({ status: 'pending', attempts: 0, next_attempt_at: at, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.where('status', '=', 'dead')
		.returning(JOB_COLUMNS)
		.executeTakeFirst();
	if (!updated) throw new NotFoundError(`dead letter ${id}`);
	return toDto(updated);
}

export async function outboxCounts(
	db: Db,
	tenantId: string,
): Promise<Record<'pending' | 'done' | 'dead', number>> {
	const rows = await db
		.selectFrom('outbox')
		.select(['status', (eb) => eb.fn.countAll<number>().as('n')])
		.where('tenant_id', '=', tenantId)
		.groupBy('status')
		.execute();
	const counts = { pending: 0, done: 0, dead: 0 };
	for (const row of rows) {
		const status = (row.status === 'running' ? 'pending' : row.status) as keyof typeof counts;
		counts[status] += Number(row.n);
	}
	return counts;
}
