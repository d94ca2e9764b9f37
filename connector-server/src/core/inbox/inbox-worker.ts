import type { Logger } from 'pino';
import type { Db, Dialect } from '../../db/database.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Clock } from '../clock.ts';
import { type EventReactor, ingestBatch } from '../ingest/ingest.ts';
import { type InboundParser, UnparseablePayloadError } from '../ports/inbound.ts';
import { type StoredItem, StoredItemWorker } from './stored-item-worker.ts';

export interface InboxWorkerOptions {
	db: Db;
	dialect: Dialect;
	parsers: Readonly<Record<string, InboundParser>>;
	reactors?: readonly EventReactor[];
	clock: Clock;
	logger: Logger;
	metrics?: Metrics;
	pollMs?: number;
	batchSize?: number;
	/** Transient failures before a payload is quarantined anyway. */
	maxAttempts?: number;
	onHeartbeat?: () => void;
	/** Called after a batch stored events, e.g. to wake the outbox. */
	onProcessed?: () => void;
	/** Awaited before each item: lets webhook acknowledgements go first (they have platform deadlines). */
	yieldTo?: () => Promise<void>;
}

const SETTINGS_CACHE_MS = 5_000;

/**
 * Turns stored webhook payloads into timeline events: the channel's parser reads the payload,
 * ingest resolves the customer and appends the events, all in the item's transaction.
 */
export class InboxWorker extends StoredItemWorker {
	constructor(options: InboxWorkerOptions) {
		const settingsCache = new Map<string, { value: Record<string, unknown>; until: number }>();
		// Connection settings (e.g. the bot id) rarely change and are read for every item.
		const settingsOf = async (tx: Db, connectionId: string | null): Promise<Record<string, unknown>> => {
			if (!connectionId) return {};
			const cached = settingsCache.get(connectionId);
			if (cached && cached.until > Date.now()) return cached.value;
			const row = await tx
				.selectFrom('connections')
				.select('settings')
				.where('id', '=', connectionId)
				.executeTakeFirst();
			const value = row ? (JSON.parse(row.settings) as Record<string, unknown>) : {};
			settingsCache.set(connectionId, { value, until: Date.now() + SETTINGS_CACHE_MS });
			return value;
		};
		const process = async (tx: Db, item: StoredItem, at: number) => {
			const parser = options.parsers[item.source];
			if (!parser) throw new UnparseablePayloadError(`no parser for source "${item.source}"`);
			const batches = parser(JSON.parse(item.payload) as unknown, {
				tenantId: item.tenant_id,
				connectionId: item.connection_id,
				receivedAt: at,
				settings: await settingsOf(tx, item.connection_id),
			});
			for (const batch of batches) await ingestBatch(tx, item.tenant_id, batch, at, options.reactors);
		};
		super({
			...options,
			table: 'inbox',
			process,
			onOutcome: (outcome) => options.metrics?.inboxProcessed.inc({ outcome }),
		});
	}
}
