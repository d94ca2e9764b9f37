/** A token bucket: `capacity` at once, refilled at `perSecond`. `take` waits for a token. */
export class TokenBucket {
	#tokens: number;
	#at = Date.now();

	constructor(
		readonly capacity: number,
		readonly perSecond: number,
	) {
		this.#tokens = capacity;
	}

	#refill(): void {
		const now = Date.now();
		this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
		this.#at = now;
	}

	async take(signal?: AbortSignal): Promise<void> {
		for (;;) {
			this.#refill();
			if (this.#tokens >= 1) {
				this.#tokens -= 1;
				return;
			}
			await sleep(((1 - this.#tokens) / this.perSecond) * 1000, signal);
		}
	}

	/** The platform said "slow down": spend everything, so the next call waits a full refill. */
	drain(): void {
		this.#refill();
		this.#tokens = Math.min(this.#tokens, 0);
	}
}

/** At most `limit` calls in flight (Yandex Market's 4 parallel requests). */
export class Semaphore {
	#free: number;
	readonly #queue: (() => void)[] = [];

	constructor(readonly limit: number) {
		this.#free = limit;
	}

	async run<T>(fn: () => Promise<T>): Promise<T> {
		if (this.#free > 0) this.#free -= 1;
		else await new Promise<void>((resolve) => this.#queue.push(resolve));
		try {
			return await fn();
		} finally {
			const next = this.#queue.shift();
			if (next) next();
			else this.#free += 1;
		}
	}
}

/** One limiter per credential, shared by the key check and the poller, so both count against one budget. */
export function sharedLimiter<T>(registry: Map<string, T>, key: string, make: () => T): T {
	let limiter = registry.get(key);
	if (!limiter) {
		limiter = make();
		registry.set(key, limiter);
	}
	return limiter;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, Math.max(0, ms));
		function done() {
			signal?.removeEventListener('abort', done);
			clearTimeout(timer);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});
}
