import { type Clock, KeyedBuckets } from '../kit/index.ts';

/** Limits of research §3; defaults are the non-Enterprise plan. */
export interface LimitOptions {
	/** Leaky bucket size X (default 50; Enterprise 250). */
	burst: number;
	/** Drain rate Y per second (default 2; Enterprise 5). */
	drainPerSecond: number;
	/** Summed execution time per (app, method) allowed in the window, seconds (docs example: 480). */
	operatingLimitSeconds: number;
	/** The operating window, seconds (10 one-minute buckets = 600). */
	operatingWindowSeconds: number;
}

export const defaultLimits: LimitOptions = {
	burst: 50,
	drainPerSecond: 2,
	operatingLimitSeconds: 480,
	operatingWindowSeconds: 600,
};

interface Spent {
	atMs: number;
	seconds: number;
}

/**
 * One portal's limits: the leaky bucket keyed by client IP (Bitrix24 counts per portal *and* source
 * IP), and the per-(app or webhook, method) operating-time budget behind 429 OPERATION_TIME_LIMIT.
 */
export class PortalLimiter {
	readonly #buckets: KeyedBuckets;
	readonly #spent = new Map<string, Spent[]>();

	constructor(
		readonly limits: LimitOptions,
		private readonly clock: Clock,
	) {
		this.#buckets = new KeyedBuckets(limits.burst, limits.drainPerSecond, clock);
	}

	/** One HTTP request through the leaky bucket; false means 503 QUERY_LIMIT_EXCEEDED. */
	admit(clientIp: string): boolean {
		return this.#buckets.take(clientIp).ok;
	}

	#window(key: string): Spent[] {
		const horizon = this.clock.now() - this.limits.operatingWindowSeconds * 1000;
		const kept = (this.#spent.get(key) ?? []).filter((entry) => entry.atMs > horizon);
		this.#spent.set(key, kept);
		return kept;
	}

	/** The `operating` and `operating_reset_at` values of the time block. */
	operating(caller: string, method: string): { operating: number; resetAt: number } {
		const entries = this.#window(`${caller}|${method}`);
		const operating = entries.reduce((sum, entry) => sum + entry.seconds, 0);
		const oldest = entries[0]?.atMs ?? this.clock.now();
		return { operating, resetAt: Math.floor((oldest + this.limits.operatingWindowSeconds * 1000) / 1000) };
	}

	isBlocked(caller: string, method: string): boolean {
		return this.operating(caller, method).operating >= this.limits.operatingLimitSeconds;
	}

	spend(caller: string, method: string, seconds: number): void {
		if (seconds <= 0) return;
		this.#window(`${caller}|${method}`).push({ atMs: this.clock.now(), seconds });
	}
}
