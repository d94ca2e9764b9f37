import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { BackgroundLoop } from '../background-loop.ts';
import type { Clock } from '../clock.ts';
import {
	type OutboxHandler,
	type OutboxJobContext,
	PermanentDeliveryError,
	TransientDeliveryError,
} from '../ports/outbound.ts';
import { nextDelayMs } from './backoff.ts';
import { enqueueJobs } from './outbox-repository.ts';
import { acquireLease, releaseLeases } from './tenant-lease.ts';
import { TokenBuckets } from './token-buckets.ts';

export interface OutboxWorkerOptions {
	db: Db;
	handlers: Readonly<Record<string, OutboxHandler>>;
	clock: Clock;
	logger: Logger;
	metrics?: Metrics;
	workerId: string;
	leaseTtlMs?: number;
	/** How long a claimed job may take before another process may take it back (longer than any delivery). */
	claimTtlMs?: number;
	pollMs?: number;
	/** Jobs fetched per tenant per round. */
	batchSize?: number;
	backoff?: { baseMs?: number; capMs?: number; random?: () => number };
	onHeartbeat?: () => void;
}

type Row = {
	id: string;
	tenant_id: string;
	target: string;
	kind: string;
	payload: string;
	attempts: number;
	max_attempts: number;
	next_attempt_at: number;
};

/**
 * Delivers outbox jobs: one process per tenant (lease), per-target FIFO (a job waits for the
 * earlier jobs of its target), platform ceilings held by token buckets, exponential backoff with
 * jitter, the platform's retry-after honoured, permanent failures and exhausted jobs parked as
 * dead letters.
 */
export class OutboxWorker {
	readonly #o: Required<Omit<OutboxWorkerOptions, 'metrics' | 'onHeartbeat' | 'backoff'>> &
		Pick<OutboxWorkerOptions, 'metrics' | 'onHeartbeat' | 'backoff'>;
	readonly #buckets: TokenBuckets;
	readonly #loop: BackgroundLoop;

	constructor(options: OutboxWorkerOptions) {
		this.#o = { leaseTtlMs: 30_000, claimTtlMs: 5 * 60_000, pollMs: 250, batchSize: 100, ...options };
		this.#buckets = new TokenBuckets(options.clock);
		this.#loop = new BackgroundLoop(
			'outbox',
			async () => {
				const soonest = await this.runOnce();
				this.#o.onHeartbeat?.();
				return soonest === null
					? this.#o.pollMs
					: Math.max(0, Math.min(this.#o.pollMs, soonest - this.#o.clock.now()));
			},
			options.logger,
		);
	}

	start(): void {
		this.#loop.start();
	}

	async stop(): Promise<void> {
		await this.#loop.stop();
		await releaseLeases(this.#o.db, this.#o.workerId).catch(() => undefined);
	}

	/** Asks the loop to look again now (called after enqueuing). */
	poke(): void {
		this.#loop.poke();
	}

	/**
	 * One round over every tenant with due work. Returns the earliest time something will be due
	 * again (for the loop's sleep), or null when nothing waits.
	 */
	async runOnce(): Promise<number | null> {
		const { db, clock } = this.#o;
		const now = clock.now();
		// A claim that outlived its holder (a crash mid-delivery): the job goes back to the queue.
		// The platform may have received it already; handlers make retries idempotent where the
		// platform allows (VK random_id, Bitrix24 ORIGIN_ID), so delivery is at-least-once.
		await db
			.updateTable('outbox')
			.set({ status: 'pending', claimed_by: null, claimed_until: null })
			.where('status', '=', 'running')
			.where('claimed_until', '<', now)
			.execute();
		const tenants = await db
			.selectFrom('outbox')
			.select('tenant_id')
			.distinct()
			.where('status', '=', 'pending')
			.where('next_attempt_at', '<=', now)
			.execute();
		let soonest: number | null = null;
		for (const { tenant_id: tenantId } of tenants) {
			if (!(await acquireLease(db, tenantId, this.#o.workerId, now, this.#o.leaseTtlMs))) continue;
			const due = await this.#runTenant(tenantId, now);
			if (due !== null) soonest = soonest === null ? due : Math.min(soonest, due);
		}
		const next = await db
			.selectFrom('outbox')
			.select((eb) => eb.fn.min('next_attempt_at').as('at'))
			.where('status', '=', 'pending')
			.executeTakeFirst();
		const pending = next?.at === null || next?.at === undefined ? null : Number(next.at);
		if (pending !== null) soonest = soonest === null ? pending : Math.min(soonest, pending);
		return soonest;
	}

	async #runTenant(tenantId: string, leasedAt: number): Promise<number | null> {
		let leaseAt = leasedAt;
		const { db, clock } = this.#o;
		const rows: Row[] = await db
			.selectFrom('outbox')
			.select(['id', 'tenant_id', 'target', 'kind', 'payload', 'attempts', 'max_attempts', 'next_attempt_at'])
			.where('tenant_id', '=', tenantId)
			.where('status', '=', 'pending')
			.where('next_attempt_at', '<=', leasedAt)
			// Per-target FIFO: a job waits while an older job of its target waits (backoff, delay).
			// Filtering here rather than skipping after the fetch keeps a batch of waiting jobs from
			// starving due jobs of other targets behind them.
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('outbox as older')
							.select('older.id')
							.whereRef('older.tenant_id', '=', 'outbox.tenant_id')
							.whereRef('older.target', '=', 'outbox.target')
							.where('older.status', '=', 'pending')
							.whereRef('older.id', '<', 'outbox.id')
							.where('older.next_attempt_at', '>', leasedAt),
					),
				),
			)
			.orderBy('id')
			.limit(this.#o.batchSize)
			.execute();
		const blockedTargets = new Set<string>();
		let soonest: number | null = null;
		const later = (at: number) => {
			soonest = soonest === null ? at : Math.min(soonest, at);
		};
		for (const row of rows) {
			if (this.#loop.stopRequested) break;
			// Renew well before expiry; a process that lost its lease stops touching the tenant.
			if (clock.now() - leaseAt > this.#o.leaseTtlMs / 3) {
				leaseAt = clock.now();
				if (!(await acquireLease(db, tenantId, this.#o.workerId, leaseAt, this.#o.leaseTtlMs))) break;
			}
			// Per-target FIFO: once a target's head job waits, the rest of that target waits too.
			if (blockedTargets.has(row.target)) continue;
			const now = clock.now();
			if (Number(row.next_attempt_at) > now) {
				blockedTargets.add(row.target);
				later(Number(row.next_attempt_at));
				continue;
			}
			const outcome = await this.#deliver(row);
			await new Promise((resolve) => setImmediate(resolve)); // let webhooks in between deliveries
			if (outcome.kind === 'wait') {
				blockedTargets.add(row.target);
				later(clock.now() + outcome.ms);
			} else if (outcome.kind === 'retry') {
				blockedTargets.add(row.target);
				later(outcome.at);
			} else if (outcome.kind === 'taken') {
				blockedTargets.add(row.target);
			}
		}
		return soonest;
	}

	async #deliver(
		row: Row,
	): Promise<
		| { kind: 'done' }
		| { kind: 'wait'; ms: number }
		| { kind: 'retry'; at: number }
		| { kind: 'dead' }
		| { kind: 'taken' }
	> {
		const { clock, logger } = this.#o;
		const handler = this.#o.handlers[row.kind];
		const context: OutboxJobContext = {
			id: row.id,
			tenantId: row.tenant_id,
			target: row.target,
			attempt: row.attempts + 1,
		};
		if (!handler) {
			await this.#park(row, `no handler for job kind "${row.kind}"`);
			return { kind: 'dead' };
		}
		let payload: unknown;
		try {
			payload = handler.parse(JSON.parse(row.payload));
		} catch (error) {
			await this.#park(row, `invalid payload: ${(error as Error).message}`);
			return { kind: 'dead' };
		}
		const limits = handler.limits(payload, context);
		const token = this.#buckets.tryTake(limits);
		if (!token.ok) return { kind: 'wait', ms: token.waitMs };
		if (!(await this.#claim(row))) return { kind: 'taken' };
		try {
			await handler.deliver(payload, context);
			const at = clock.now();
			await this.#finish(row, {
				status: 'done',
				attempts: row.attempts + 1,
				last_error: null,
				updated_at: at,
			});
			this.#o.metrics?.outboxAttempts.inc({ kind: row.kind, outcome: 'done' });
			return { kind: 'done' };
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const dead = { handler, payload, context };
			if (error instanceof PermanentDeliveryError) {
				await this.#park(row, message, row.attempts + 1, dead);
				return { kind: 'dead' };
			}
			const attempts = row.attempts + 1;
			if (attempts >= row.max_attempts) {
				await this.#park(row, `gave up after ${attempts} attempts: ${message}`, attempts, dead);
				return { kind: 'dead' };
			}
			const retryAfterMs = error instanceof TransientDeliveryError ? error.retryAfterMs : undefined;
			if (error instanceof TransientDeliveryError && error.throttleAll) this.#buckets.drain(limits);
			const at = clock.now() + nextDelayMs(attempts, { ...this.#o.backoff, retryAfterMs });
			await this.#finish(row, {
				status: 'pending',
				attempts,
				next_attempt_at: at,
				last_error: message,
				updated_at: clock.now(),
			});
			this.#o.metrics?.outboxAttempts.inc({ kind: row.kind, outcome: 'retry' });
			logger.warn(
				{ job: row.id, kind: row.kind, attempts, err: message },
				'outbox delivery failed; will retry',
			);
			return { kind: 'retry', at };
		}
	}

	/** Claims the job for this process; false when another process holds it. */
	async #claim(row: Row): Promise<boolean> {
		const now = this.#o.clock.now();
		const claimed = await this.#o.db
			.updateTable('outbox')
			.set({ status: 'running', claimed_by: this.#o.workerId, claimed_until: now + this.#o.claimTtlMs })
			.where('id', '=', row.id)
			.where('status', '=', 'pending')
			.executeTakeFirst();
		return Number(claimed.numUpdatedRows) > 0;
	}

	/** Records a delivery's outcome, only while this process still holds the job's claim. */
	async #finish(
		row: Row,
		values: {
			status: 'done' | 'pending' | 'dead';
			attempts: number;
			last_error: string | null;
			updated_at: number;
			next_attempt_at?: number;
		},
	): Promise<void> {
		const result = await this.#o.db
			.updateTable('outbox')
			.set({ ...values, claimed_by: null, claimed_until: null })
			.where('id', '=', row.id)
			.where('status', '=', 'running')
			.where('claimed_by', '=', this.#o.workerId)
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) === 0) {
			this.#o.logger.warn(
				{ job: row.id, kind: row.kind },
				'outbox claim expired before the delivery finished',
			);
		}
	}

	/**
	 * Parks a job as a dead letter. With a parsed payload and a handler that has `onDead`, the
	 * handler's follow-ups (its writes and the jobs it returns) commit in the same transaction,
	 * only when this process parked the job (not when another took it back meanwhile).
	 */
	async #park(
		row: Row,
		error: string,
		attempts = row.attempts,
		dead?: { handler: OutboxHandler; payload: unknown; context: OutboxJobContext },
	): Promise<void> {
		const { db, clock, logger } = this.#o;
		const at = clock.now();
		const values = { status: 'dead' as const, attempts, last_error: error, updated_at: at };
		// Parked before a claim (no handler, unreadable payload) or after one (a permanent failure).
		const park = async (tx: Db) => {
			const result = await tx
				.updateTable('outbox')
				.set({ ...values, claimed_by: null, claimed_until: null })
				.where('id', '=', row.id)
				.where((eb) =>
					eb.or([
						eb('status', '=', 'pending'),
						eb.and([eb('status', '=', 'running'), eb('claimed_by', '=', this.#o.workerId)]),
					]),
				)
				.executeTakeFirst();
			return Number(result.numUpdatedRows) > 0;
		};
		let parked = false;
		let followUps = 0;
		const onDead = dead?.handler.onDead;
		if (dead && onDead) {
			try {
				followUps = await db.transaction().execute(async (tx) => {
					if (!(await park(tx))) return 0;
					const jobs = await onDead.call(
						dead.handler,
						dead.payload,
						{ ...dead.context, error, attempts },
						tx,
					);
					if (jobs.length > 0) await enqueueJobs(tx, row.tenant_id, jobs, at);
					return jobs.length;
				});
				parked = true;
			} catch (hookError) {
				logger.error(
					{ job: row.id, kind: row.kind, err: hookError },
					'dead-letter follow-up failed; the job is parked without it',
				);
			}
		}
		if (!parked) await park(db);
		if (followUps > 0) this.poke();
		this.#o.metrics?.outboxAttempts.inc({ kind: row.kind, outcome: 'dead' });
		logger.warn({ job: row.id, kind: row.kind, err: error }, 'outbox job parked as dead letter');
	}
}
