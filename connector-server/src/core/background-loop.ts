import type { Logger } from 'pino';

/**
 * Runs `round` again and again until stopped. A round returns how long to sleep before the next
 * one; `poke()` cuts a sleep short, and a poke that arrives during a round makes the next round
 * start at once (so work enqueued meanwhile is never left waiting for the poll interval).
 */
export class BackgroundLoop {
	#running: Promise<void> | undefined;
	#wake: (() => void) | undefined;
	#timer: NodeJS.Timeout | undefined;
	#poked = false;
	#stopRequested = false;

	constructor(
		private readonly name: string,
		private readonly round: () => Promise<number>,
		private readonly logger: Logger,
		private readonly errorBackoffMs = 1_000,
	) {}

	/** True once stop() was called: long rounds check it to end early. */
	get stopRequested(): boolean {
		return this.#stopRequested;
	}

	start(): void {
		if (this.#running) return;
		this.#stopRequested = false;
		this.#running = this.#loop();
	}

	async stop(): Promise<void> {
		this.#stopRequested = true;
		this.#wake?.();
		clearTimeout(this.#timer);
		await this.#running;
		this.#running = undefined;
	}

	poke(): void {
		this.#poked = true;
		this.#wake?.();
	}

	async #loop(): Promise<void> {
		while (!this.#stopRequested) {
			this.#poked = false;
			let sleepMs: number;
			try {
				sleepMs = await this.round();
			} catch (error) {
				this.logger.error({ err: error, loop: this.name }, `${this.name} round failed`);
				sleepMs = this.errorBackoffMs;
			}
			if (this.#stopRequested) break;
			if (this.#poked || sleepMs <= 0) continue;
			await new Promise<void>((resolve) => {
				this.#wake = resolve;
				this.#timer = setTimeout(resolve, sleepMs);
			});
			this.#wake = undefined;
		}
	}
}
