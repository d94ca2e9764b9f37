import type { Db } from '../../db/database.ts';
import { maskString } from '../../observability/personal-data.ts';
import { recordConsent } from '../customers/consents.ts';
import { appendEvent } from '../events/event-store.ts';
import { resolveCustomer } from '../identity/identity-graph.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { InboundBatch } from '../ports/inbound.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';

/** Side effects that follow from stored events (e.g. forward a message to the host), decided in the same transaction. */
export type EventReactor = (
	stored: { tenantId: string; customerId: string; eventId: string; event: InboundBatch['events'][number] }[],
	tx: Db,
) => Promise<OutboxJobInput[]>;

export interface IngestResult {
	customerId: string;
	/** The customer the events were stored on: the root, or the batch's own (e.g. a guest order's). */
	holderId: string;
	stored: string[];
	duplicates: number;
	/** Customers merged into `customerId` by this batch. */
	merged: string[];
	/** Reviews opened instead of a merge the rules would not make alone. */
	reviews: string[];
}

/**
 * Stores one batch: resolves (or creates, or merges) the customer from its identifiers, appends
 * its events and the links it made to the timeline, updates consents, and enqueues the reactions
 * in the outbox. The caller runs it inside one transaction, so all of it happens or none does.
 */
export async function ingestBatch(
	tx: Db,
	tenantId: string,
	batch: InboundBatch,
	at: number,
	reactors: readonly EventReactor[] = [],
): Promise<IngestResult> {
	const firstKey = batch.events[0]?.sourceKey;
	const anchor = batch.anchorSourceKey
		? await tx
				.selectFrom('events')
				.select('customer_id')
				.where('tenant_id', '=', tenantId)
				.where('source_key', '=', batch.anchorSourceKey)
				.executeTakeFirst()
		: undefined;
	const resolved = await resolveCustomer(tx, {
		tenantId,
		identifiers: batch.identifiers,
		source: batch.events[0]?.channel ?? 'nitka',
		profile: batch.profile,
		eventSourceKey: firstKey,
		claims: batch.claims,
		anchorCustomerId: anchor?.customer_id,
		at,
	});
	// Events stay on the customer that holds the batch: the root, unless the batch is a claim of its own.
	const holderId = resolved.holderId;
	const stored: Parameters<EventReactor>[0] = [];
	let duplicates = 0;
	for (const event of batch.events) {
		const eventId = await appendEvent(tx, {
			...event,
			tenantId,
			customerId: holderId,
			recordedAt: at,
		});
		if (!eventId) {
			duplicates += 1;
			continue;
		}
		stored.push({ tenantId, customerId: resolved.customerId, eventId, event });
		if (event.type === 'consent.given' || event.type === 'consent.withdrawn') {
			await recordConsent(
				tx,
				tenantId,
				resolved.customerId,
				event.type,
				event.data as never,
				event.occurredAt,
			);
		}
	}
	// A link is news only alongside a new event; a redelivered update links nothing new anyway.
	if (firstKey && stored.length > 0) {
		for (const link of resolved.linked) {
			await appendEvent(tx, {
				tenantId,
				customerId: holderId,
				type: 'identity.linked',
				channel: batch.events[0]!.channel,
				occurredAt: batch.events[0]!.occurredAt,
				recordedAt: at,
				sourceKey: `${firstKey}:link:${link.type}:${link.value}`,
				data: { type: link.type, value: maskString(link.value), method: 'message' },
			});
		}
	}
	for (const reactor of reactors) {
		const jobs = await reactor(stored, tx);
		if (jobs.length > 0) await enqueueJobs(tx, tenantId, jobs, at);
	}
	return {
		customerId: resolved.customerId,
		holderId,
		stored: stored.map((s) => s.eventId),
		duplicates,
		merged: resolved.merged,
		reviews: resolved.reviews,
	};
}
