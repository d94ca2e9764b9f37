import type { EventType, MessagingChannel } from '@nitka/shared';
import type { InboundEvent } from './inbound.ts';
import type { OutboxJobInput } from './outbound.ts';

/**
 * How a host hands its events (Bitrix24 ONIMCONNECTORMESSAGEADD, ONCRM*) to the core: the raw
 * payload is stored in the inbox (deduplicated by source key) and the jobs that act on it are
 * enqueued in the same transaction, so an acknowledged event is never lost and a redelivered one
 * does nothing.
 */
export interface HostIntake {
	accept(input: {
		tenantId: string;
		source: string;
		sourceKey: string;
		payload: string;
		jobs: OutboxJobInput[];
	}): Promise<'accepted' | 'duplicate'>;
	/**
	 * An operator's answer written in the host: goes to the customer of that messenger chat through
	 * the reply service (timeline + outbox). The idempotency key makes a retried job send once.
	 */
	replyToChat(
		tenantId: string,
		input: {
			channel: MessagingChannel;
			connectionId: string;
			chatId: string;
			text: string;
			author: string;
			origin: string;
			idempotencyKey: string;
		},
	): Promise<{ customerId: string; replyId: string }>;
}

/** A stored timeline event, as the ingest transaction saw it. */
export interface StoredHostEvent {
	tenantId: string;
	customerId: string;
	eventId: string;
	event: InboundEvent<EventType>;
}

/**
 * A host's reaction to stored events: the outbox jobs to enqueue (e.g. forward a message to the
 * open line). Pure: the core runs it inside the ingest transaction, only for the host's tenants.
 */
export type HostEventMapper = (stored: StoredHostEvent[]) => OutboxJobInput[];
