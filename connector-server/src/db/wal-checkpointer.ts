import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits the
 * 1000th WAL page copies the log into the database file and fsyncs it inside that commit: a
 * webhook's acknowledgement or an inbox item then waits for a checkpoint it has nothing to do
 * with. With automatic checkpoints off, this thread, on its own connection, runs a PASSIVE
 * checkpoint a few times a second: it never blocks writers or readers, and once a checkpoint has
 * copied the whole log, the next writer starts the WAL file over, so it does not grow.
 */
export class WalCheckpointer {
	readonly #worker: Worker;
	readonly #exited: Promise<void>;

	constructor(file: string, intervalMs = 200) {
		const driver = createRequire(import.meta.url).resolve('better-sqlite3');
		// Plain JavaScript on purpose: the thread needs no TypeScript loader.
		const code = `
			const { parentPort, workerData } = require('node:worker_threads');
			const Database = require(workerData.driver);
			const db = new Database(workerData.file);
			db.pragma('busy_timeout = 5000');
			const timer = setInterval(() => {
				try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
			}, workerData.intervalMs);
			parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
		`;
		this.#worker = new Worker(code, { eval: true, workerData: { file, driver, intervalMs } });
		// Never keep the process alive on its own account.
		this.#worker.unref();
		this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
	}

	/** Errors the thread reports (a failed checkpoint is retried at the next interval). */
	onError(listener: (message: string) => void): void {
		this.#worker.on('message', (message: unknown) => listener(String(message)));
		this.#worker.on('error', (error) => listener(error.message));
	}

	async close(): Promise<void> {
		this.#worker.postMessage('stop');
		await this.#exited;
	}
}
