import type { Clock } from '../clock.ts';
import type { RateLimit } from '../ports/outbound.ts';

interface Bucket {
	tokens: number;
	updatedAt: number;
	capacity: number;
	perSecond: number;
}

/**
 * In-process token buckets keyed by target. They hold across processes because a tenant's
 * outbox is worked by one process at a time (the lease), and every key is tenant-scoped.
 */
export class TokenBuckets {
	readonly #buckets = new Map<string, Bucket>();

	constructor(private readonly clock: Clock) {}

	#bucket(limit: RateLimit): Bucket {
		const now = this.clock.now();
		let bucket = this.#buckets.get(limit.key);
		if (!bucket) {
			bucket = {
				tokens: limit.capacity,
				updatedAt: now,
				capacity: limit.capacity,
				perSecond: limit.perSecond,
			};
			this.#buckets.set(limit.key, bucket);
		}
		bucket.tokens = Math.min(
			bucket.capacity,
			bucket.tokens + ((now - bucket.updatedAt) / 1000) * bucket.perSecond,
		);
		bucket.updatedAt = now;
		return bucket;
	}

	/** Takes a token from every bucket, or from none; returns how long to wait when one is empty. */
	tryTake(limits: RateLimit[]): { ok: true } | { ok: false; waitMs: number } {
		const buckets = limits.map((limit) => this.#bucket(limit));
		let waitMs = 0;
		for (const bucket of buckets) {
			if (bucket.tokens < 1)
				waitMs = Math.max(waitMs, Math.ceil(((1 - bucket.tokens) / bucket.perSecond) * 1000));
		}
		if (waitMs > 0) return { ok: false, waitMs };
		for (const bucket of buckets) bucket.tokens -= 1;
		return { ok: true };
	}

	/** After a platform said "slow down", empty the bucket so nothing else goes out before it refills. */
	drain(limits: RateLimit[]): void {
		for (const limit of limits) this.#bucket(limit).tokens = 0;
	}
}
