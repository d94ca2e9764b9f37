import type { Poller } from '../../core/ports/channel-client.ts';
import { pollBackoffMs, sleep } from './backoff.ts';

/**
 * Runs `round` until stopped: each round long-polls the platform and stores what it got. A failed
 * round (network, 5xx, storage) backs off and retries from the same cursor, so nothing is skipped.
 */
export function startPollLoop(
	round: (signal: AbortSignal) => Promise<void>,
	onError: (error: unknown) => void,
): Poller {
	const controller = new AbortController();
	const loop = (async () => {
		let failures = 0;
		while (!controller.signal.aborted) {
			try {
				await round(controller.signal);
				failures = 0;
			} catch (error) {
				if (controller.signal.aborted) break;
				failures += 1;
				onError(error);
				await sleep(pollBackoffMs(failures), controller.signal);
			}
		}
	})();
	return {
		async stop() {
			controller.abort();
			await loop;
		},
	};
}
