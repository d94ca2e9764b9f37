import type { Db } from '../../db/database.ts';

/**
 * The outbox's port: a handler performs one kind of external side effect (send a Telegram
 * message, write a Bitrix24 timeline entry…) and says how it went.
 *
 * How to extend: register a handler under a new `kind` with the limits of the platform it
 * calls; enqueue jobs of that kind in the same transaction as the event that causes them.
 */
export interface OutboxJobInput {
	kind: string;
	/** Jobs with the same target are delivered one at a time, in order (e.g. one chat). */
	target: string;
	payload: unknown;
	/** Unique per tenant: enqueuing the same effect twice keeps one job. */
	dedupeKey?: string;
	maxAttempts?: number;
	/** Earliest delivery time (epoch ms). */
	notBefore?: number;
}

export interface RateLimit {
	/** Bucket identity, e.g. `telegram:bot:123` or `telegram:chat:123:456`. */
	key: string;
	/** Burst size. */
	capacity: number;
	perSecond: number;
}

export interface OutboxJobContext {
	id: string;
	tenantId: string;
	target: string;
	attempt: number;
}

/**
 * A failure worth retrying (timeouts, 5xx, rate limits); `retryAfterMs` honours the platform's
 * advice. `throttleAll` says the limit hit was not the target's own (e.g. a bot-wide flood wait):
 * every bucket of the job is emptied so other targets slow down too.
 */
export class TransientDeliveryError extends Error {
	override readonly name: string = 'TransientDeliveryError';
	constructor(
		message: string,
		readonly retryAfterMs?: number,
		options?: { cause?: unknown; throttleAll?: boolean },
	) {
		super(message, options);
		this.throttleAll = options?.throttleAll ?? false;
	}
	readonly throttleAll: boolean;
}

/** A failure no retry can fix (blocked user, invalid payload): the job is parked as a dead letter. */
export class PermanentDeliveryError extends Error {
	override readonly name: string = 'PermanentDeliveryError';
}

/** What the outbox tells a handler about a job it just parked as a dead letter. */
export interface DeadLetterContext extends OutboxJobContext {
	/** The dead letter's `last_error`. */
	error: string;
	attempts: number;
}

export interface OutboxHandler<P = unknown> {
	/** Validates the stored payload (zod); a payload that fails is a permanent error. */
	parse(payload: unknown): P;
	/** The buckets one delivery takes a token from; all must have one. */
	limits(payload: P, context: OutboxJobContext): RateLimit[];
	deliver(payload: P, context: OutboxJobContext): Promise<void>;
	/**
	 * Optional: the job died for good (a permanent failure, or its attempts spent) with a payload
	 * that parsed. Runs in the transaction that parks it, once per dead letter; what it writes (a
	 * note on the timeline, a message to the customer) commits with the parking, and the jobs it
	 * returns are enqueued there. The dead letter stays listed either way; if this throws, the job is
	 * parked without its follow-ups (logged). The outbox knows nothing of what a job meant.
	 */
	onDead?(payload: P, context: DeadLetterContext, tx: Db): Promise<OutboxJobInput[]>;
}
