/** Waits `ms`, or less when the signal aborts (pollers sleep between failed rounds this way). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) return resolve();
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
	});
}

/** Delay before poll round `failures` (1, 2, …): doubling from 1 s, capped at 30 s. */
export const pollBackoffMs = (failures: number): number => Math.min(30_000, 1_000 * 2 ** (failures - 1));
