import { type Clock, systemClock } from '../kit/index.ts';

/**
 * A fixed-window quota ("10 000 per hour"), counted per key. Unlike a token bucket it refills all at once
 * at the window boundary, which is how per-hour resource quotas are reported (limit, remaining, until).
 */
export class WindowCounter {
	readonly #windows = new Map<string, { start: number; used: number }>();

	constructor(
		readonly limit: number,
		readonly windowMs: number,
		private readonly clock: Clock = systemClock,
	) {}

	/** Counts one use; `ok` is false once the window's quota is spent. */
	take(key: string): { ok: boolean; remaining: number; resetAt: number } {
		const now = this.clock.now();
		const start = Math.floor(now / this.windowMs) * this.windowMs;
		let window = this.#windows.get(key);
		if (!window || window.start !== start) {
			window = { start, used: 0 };
			this.#windows.set(key, window);
		}
		const resetAt = start + this.windowMs;
		if (window.used >= this.limit) return { ok: false, remaining: 0, resetAt };
		window.used += 1;
		return { ok: true, remaining: this.limit - window.used, resetAt };
	}
}
