/**
 * Everything an emulator observed (requests, portal messages…), in order, for tests to assert on,
 * with a wait for an entry that has not arrived yet.
 */
export class EntryLog<T> {
	readonly #entries: T[] = [];
	readonly #waiters = new Set<() => void>();

	constructor(
		/** What an entry is, for the timeout error ("request", "portal message"). */
		private readonly what: string,
		private readonly defaultTimeoutMs: number,
	) {}

	record(entry: T): void {
		this.#entries.push(entry);
		for (const wake of this.#waiters) wake();
	}

	all(): readonly T[] {
		return this.#entries;
	}

	filter(predicate: (entry: T) => boolean): T[] {
		return this.#entries.filter(predicate);
	}

	clear(): void {
		this.#entries.length = 0;
	}

	/** Resolves with the first entry (past or future) matching the predicate, or rejects after `timeoutMs`. */
	async waitFor(predicate: (entry: T) => boolean, timeoutMs = this.defaultTimeoutMs): Promise<T> {
		const found = this.#entries.find(predicate);
		if (found) return found;
		return await new Promise((resolve, reject) => {
			const wake = () => {
				const hit = this.#entries.find(predicate);
				if (!hit) return;
				cleanup();
				resolve(hit);
			};
			const timer = setTimeout(() => {
				cleanup();
				reject(new Error(`no matching ${this.what} within ${timeoutMs} ms`));
			}, timeoutMs);
			const cleanup = () => {
				clearTimeout(timer);
				this.#waiters.delete(wake);
			};
			this.#waiters.add(wake);
		});
	}
}
