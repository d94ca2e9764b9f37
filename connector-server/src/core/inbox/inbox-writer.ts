import type { Db } from '../../db/database.ts';
import { type Clock, newId } from '../clock.ts';

export interface InboxItem {
	tenantId: string;
	connectionId: string | null;
	/** Which parser turns it into events, e.g. "telegram". */
	source: string;
	/** Unique per tenant; a second item with it is a redelivery. */
	sourceKey: string;
	payload: string;
	headers?: Record<string, string>;
}

const BUSY_WINDOW_MS = 20;
const BUSY_PAUSE_MS = 2;

type Pending = {
	item: InboxItem;
	resolve: (outcome: 'accepted' | 'duplicate') => void;
	reject: (error: unknown) => void;
};

/**
 * Durably stores webhook payloads before they are acknowledged. Concurrent requests are written
 * together in one transaction (group commit): one fsync serves many webhooks, so the platform
 * gets its 200 fast and every acknowledged payload is on disk.
 */
export class InboxWriter {
	#queue: Pending[] = [];
	#flushing = false;
	#idleWaiters: (() => void)[] = [];
	#lastAcceptAt = 0;

	constructor(
		private readonly db: Db,
		private readonly clock: Clock,
		private readonly onStored: () => void = () => undefined,
		/** Resolves once the commits so far survive a power cut (the database's durable()). */
		private readonly durable: () => Promise<void> = () => Promise.resolve(),
		private readonly maxBatch = 400,
	) {}

	accept(item: InboxItem): Promise<'accepted' | 'duplicate'> {
		this.#lastAcceptAt = Date.now();
		return new Promise((resolve, reject) => {
			this.#queue.push({ item, resolve, reject });
			if (!this.#flushing) {
				this.#flushing = true;
				// Let the other requests that arrived in this turn of the event loop join the batch.
				setImmediate(() => void this.#flush());
			}
		});
	}

	/** One multi-row INSERT … ON CONFLICT DO NOTHING for the whole batch: one statement, one commit. */
	async #store(items: InboxItem[]): Promise<('accepted' | 'duplicate')[]> {
		const at = this.clock.now();
		const keyOf = (item: InboxItem) => `${item.tenantId}\u0000${item.sourceKey}`;
		// A key twice in one batch: the first is the delivery, the second a redelivery.
		const firstIndex = new Map<string, number>();
		items.forEach((item, index) => {
			if (!firstIndex.has(keyOf(item))) firstIndex.set(keyOf(item), index);
		});
		const unique = [...firstIndex.values()].map((index) => items[index]!);
		const inserted = await this.db
			.insertInto('inbox')
			.values(
				unique.map((item) => ({
					id: newId(at),
					tenant_id: item.tenantId,
					connection_id: item.connectionId,
					source: item.source,
					source_key: item.sourceKey,
					payload: item.payload,
					headers: JSON.stringify(item.headers ?? {}),
					received_at: at,
					status: 'pending',
					attempts: 0,
					error: null,
					processed_at: null,
				})),
			)
			.onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
			.returning(['tenant_id', 'source_key'])
			.execute();
		const stored = new Set(inserted.map((row) => `${row.tenant_id}\u0000${row.source_key}`));
		return items.map((item, index) =>
			firstIndex.get(keyOf(item)) === index && stored.has(keyOf(item)) ? 'accepted' : 'duplicate',
		);
	}

	async #flush(): Promise<void> {
		while (this.#queue.length > 0) {
			const batch = this.#queue.splice(0, this.maxBatch);
			try {
				const outcomes = await this.#store(batch.map((pending) => pending.item));
				// Acknowledge only what is on disk: the flush runs off the event loop, shared by the batch.
				await this.durable();
				batch.forEach((pending, index) => {
					pending.resolve(outcomes[index]!);
				});
				this.onStored();
			} catch (error) {
				// Nothing of this batch was committed: every request gets a 5xx and the platform redelivers.
				for (const pending of batch) pending.reject(error);
			}
		}
		this.#flushing = false;
		for (const wake of this.#idleWaiters.splice(0)) wake();
	}

	/** Resolves when no acknowledgement is waiting on the database (background work yields to webhooks). */
	async idle(): Promise<void> {
		if (this.#flushing) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
		// While webhooks stream in, background work takes short turns: acknowledgements have
		// platform deadlines, processing only has to catch up once the burst is over.
		if (Date.now() - this.#lastAcceptAt < BUSY_WINDOW_MS)
			await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS));
	}
}
