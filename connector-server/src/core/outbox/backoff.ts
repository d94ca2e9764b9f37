/**
 * Exponential backoff with full jitter (AWS's recommendation): a random delay in
 * [0, min(cap, base * 2^attempt)], never below the platform's advised retry-after.
 */
export function nextDelayMs(
	attempt: number,
	options: { baseMs?: number; capMs?: number; retryAfterMs?: number | undefined; random?: () => number } = {},
): number {
	const base = options.baseMs ?? 1_000;
	const cap = options.capMs ?? 10 * 60_000;
	const random = options.random ?? Math.random;
	const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
	const jittered = Math.floor(random() * ceiling);
	return Math.max(jittered, options.retryAfterMs ?? 0);
}
