import type { Marketplace } from '@nitka/shared';
import type { Logger } from 'pino';
import type { Db, Dialect } from '../../db/database.ts';
import type { Clock } from '../clock.ts';
import { type StoredItem, StoredItemWorker } from '../inbox/stored-item-worker.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { UnparseablePayloadError } from '../ports/inbound.ts';
import type { OrderObservation } from '../ports/marketplace.ts';
import { applyObservations } from './apply-observation.ts';

export interface OrderInboxWorkerOptions {
	db: Db;
	dialect: Dialect;
	parsers: Readonly<Partial<Record<Marketplace, (payload: unknown) => OrderObservation[]>>>;
	reactors?: readonly EventReactor[];
	clock: Clock;
	logger: Logger;
	pollMs?: number;
	batchSize?: number;
	maxAttempts?: number;
	onProcessed?: () => void;
}

/**
 * Turns stored marketplace pages and pushes into orders and timeline events. Unlike webhook
 * parsing, applying an observation reads the order's current status (to tell from→to and to
 * ignore stale news), so it runs against the item's transaction — a page at a time, with a page's
 * worth of queries (apply-observation.ts).
 */
export class OrderInboxWorker extends StoredItemWorker {
	constructor(options: OrderInboxWorkerOptions) {
		const process = async (tx: Db, item: StoredItem, at: number) => {
			const source = item.source as Marketplace;
			const parse = options.parsers[source];
			if (!parse) throw new UnparseablePayloadError(`no parser for source "${item.source}"`);
			if (!item.connection_id) throw new UnparseablePayloadError('a marketplace item needs its connection');
			await applyObservations(tx, {
				tenantId: item.tenant_id,
				connectionId: item.connection_id,
				source,
				observations: parse(JSON.parse(item.payload) as unknown),
				at,
				reactors: options.reactors ?? [],
			});
		};
		// Pages hold up to a thousand orders each: smaller batches keep a round short.
		super({ batchSize: 20, ...options, table: 'marketplace_inbox', process });
	}
}
