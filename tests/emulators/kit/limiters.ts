/** Time source, injectable so limit tests need no real waiting. */
export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A token bucket (equivalently a leaky bucket counting up): `capacity` requests at once, refilled
 * at `refillPerSecond`. Bitrix24's limiter is exactly this (burst 50, 2/s); a sliding
 * "N per second" platform limit is a bucket with capacity N and refill N/s.
 */
export class TokenBucket {
	#tokens: number;
	#updatedAt: number;

	constructor(
		readonly capacity: number,
		readonly refillPerSecond: number,
		private readonly clock: Clock = systemClock,
	) {
		this.#tokens = capacity;
		this.#updatedAt = clock.now();
	}

	#refill(): void {
		const now = this.clock.now();
		this.#tokens = Math.min(
			this.capacity,
			this.#tokens + ((now - this.#updatedAt) / 1000) * this.refillPerSecond,
		);
		this.#updatedAt = now;
	}

	/** Takes one token if there is one; otherwise says how long until there will be. */
	tryTake(): { ok: true } | { ok: false; retryAfterMs: number } {
		this.#refill();
		if (this.#tokens >= 1) {
			this.#tokens -= 1;
			return { ok: true };
		}
		return { ok: false, retryAfterMs: Math.ceil(((1 - this.#tokens) / this.refillPerSecond) * 1000) };
	}

	get available(): number {
		this.#refill();
		return this.#tokens;
	}
}

/** Token buckets by key (per chat, per token, per portal), created on first use. */
export class KeyedBuckets {
	readonly #buckets = new Map<string, TokenBucket>();

	constructor(
		private readonly capacity: number,
		private readonly refillPerSecond: number,
		private readonly clock: Clock = systemClock,
	) {}

	take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
		let bucket = this.#buckets.get(key);
		if (!bucket) {
			bucket = new TokenBucket(this.capacity, this.refillPerSecond, this.clock);
			this.#buckets.set(key, bucket);
		}
		return bucket.tryTake();
	}
}

/** Counts requests in flight per key, for platforms that cap parallelism (Yandex Market: 4). */
export class ConcurrencyGate {
	readonly #inFlight = new Map<string, number>();

	constructor(readonly max: number) {}

	enter(key: string): boolean {
		const current = this.#inFlight.get(key) ?? 0;
		if (current >= this.max) return false;
		this.#inFlight.set(key, current + 1);
		return true;
	}

	leave(key: string): void {
		const current = this.#inFlight.get(key) ?? 0;
		this.#inFlight.set(key, Math.max(0, current - 1));
	}
}
