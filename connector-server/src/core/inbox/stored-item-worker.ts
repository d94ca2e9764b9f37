import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { type Db, type Dialect, relaxedTransaction } from '../../db/database.ts';
import { BackgroundLoop } from '../background-loop.ts';
import type { Clock } from '../clock.ts';
import { ValidationError } from '../errors.ts';
import { UnparseablePayloadError } from '../ports/inbound.ts';

/** A stored payload waiting to be processed (a webhook, a polled page, a push). */
export interface StoredItem {
	id: string;
	tenant_id: string;
	connection_id: string | null;
	source: string;
	payload: string;
	attempts: number;
}

/** The tables that hold stored payloads; they share these columns. */
export type StoredItemTable = 'inbox' | 'marketplace_inbox';

export interface StoredItemWorkerOptions {
	db: Db;
	dialect: Dialect;
	table: StoredItemTable;
	/** Turns one item into its effects inside the item's transaction; throws to fail it. */
	process: (tx: Db, item: StoredItem, at: number) => Promise<void>;
	clock: Clock;
	logger: Logger;
	pollMs?: number;
	batchSize?: number;
	/** Transient failures before an item is quarantined anyway. */
	maxAttempts?: number;
	onHeartbeat?: () => void;
	/** Called after a round finished items, e.g. to wake the outbox. */
	onProcessed?: () => void;
	/** Awaited before each item: lets webhook acknowledgements go first (they have platform deadlines). */
	yieldTo?: () => Promise<void>;
	onOutcome?: (outcome: 'processed' | 'quarantined') => void;
}

const isPermanent = (error: unknown) =>
	error instanceof UnparseablePayloadError ||
	error instanceof ZodError ||
	error instanceof ValidationError ||
	error instanceof SyntaxError;

function describe(error: unknown): string {
	if (error instanceof ZodError) {
		return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * Works a table of stored payloads. Each item is processed and marked done in one transaction, so
 * a crash at any point leaves it either untouched (processed again after the restart) or fully
 * done: exactly once. An item that cannot be understood is quarantined with its error; a
 * transient failure is retried on a later round.
 */
export class StoredItemWorker {
	readonly #o: StoredItemWorkerOptions & { pollMs: number; batchSize: number; maxAttempts: number };
	readonly #loop: BackgroundLoop;

	constructor(options: StoredItemWorkerOptions) {
		this.#o = { pollMs: 500, batchSize: 200, maxAttempts: 10, ...options };
		this.#loop = new BackgroundLoop(
			options.table,
			async () => {
				const processed = await this.runOnce();
				this.#o.onHeartbeat?.();
				return processed > 0 ? 0 : this.#o.pollMs;
			},
			options.logger,
		);
	}

	start(): void {
		this.#loop.start();
	}

	async stop(): Promise<void> {
		await this.#loop.stop();
	}

	/** New items were stored: look now instead of at the next poll. */
	poke(): void {
		this.#loop.poke();
	}

	/**
	 * Processes up to one batch of pending items, oldest first; returns how many it finished. The
	 * batch is read without payloads: each item's payload is read when it is claimed, so a batch of
	 * payloads does not sit in memory for the whole round (long enough to be promoted to the old
	 * generation and make every young-generation collection copy it, in pauses webhooks wait out).
	 */
	async runOnce(): Promise<number> {
		const table = this.#o.table as 'inbox';
		const rows: Omit<StoredItem, 'payload'>[] = await this.#o.db
			.selectFrom(table)
			.select(['id', 'tenant_id', 'connection_id', 'source', 'attempts'])
			.where('status', '=', 'pending')
			.orderBy('id')
			.limit(this.#o.batchSize)
			.execute();
		let done = 0;
		for (const row of rows) {
			if (this.#loop.stopRequested) break;
			await this.#o.yieldTo?.();
			if (await this.#process(row)) done += 1;
			// Database calls resolve as microtasks; without a macrotask turn here a long batch would
			// starve incoming webhooks of the event loop.
			await new Promise((resolve) => setImmediate(resolve));
		}
		if (done > 0) this.#o.onProcessed?.();
		return done;
	}

	async #process(row: Omit<StoredItem, 'payload'>): Promise<boolean> {
		const { db, dialect, clock, logger } = this.#o;
		const table = this.#o.table as 'inbox';
		try {
			return await relaxedTransaction(db, dialect, async (tx) => {
				// Claim the row; on PostgreSQL another process working the same row skips it.
				let claim = tx
					.selectFrom(table)
					.select('payload')
					.where('id', '=', row.id)
					.where('status', '=', 'pending');
				if (dialect === 'postgres') claim = claim.forUpdate().skipLocked();
				const claimed = await claim.executeTakeFirst();
				if (!claimed) return false;
				const at = clock.now();
				await this.#o.process(tx, { ...row, payload: claimed.payload }, at);
				await tx
					.updateTable(table)
					.set({ status: 'processed', processed_at: at, attempts: row.attempts + 1, error: null })
					.where('id', '=', row.id)
					.execute();
				this.#o.onOutcome?.('processed');
				return true;
			});
		} catch (error) {
			const message = describe(error);
			if (isPermanent(error) || row.attempts + 1 >= this.#o.maxAttempts) {
				await this.#quarantine(row, message);
				return true;
			}
			await db
				.updateTable(table)
				.set({ attempts: row.attempts + 1, error: message })
				.where('id', '=', row.id)
				.execute();
			logger.warn(
				{ item: row.id, table, source: row.source, err: message },
				'stored item failed; will retry',
			);
			return false;
		}
	}

	async #quarantine(row: Omit<StoredItem, 'payload'>, error: string): Promise<void> {
		const table = this.#o.table as 'inbox';
		await this.#o.db
			.updateTable(table)
			.set({ status: 'quarantined', attempts: row.attempts + 1, error, processed_at: this.#o.clock.now() })
			.where('id', '=', row.id)
			.execute();
		this.#o.onOutcome?.('quarantined');
		this.#o.logger.warn({ item: row.id, table, source: row.source, err: error }, 'stored item quarantined');
	}
}
