import type { EventChannel, EventData, EventType, IdentifierInput, ProfileHint } from '@nitka/shared';

/**
 * What a channel adapter hands the core for one platform update: who it is about (strong
 * identifiers only) and what happened. The core resolves the customer and stores the events
 * in one transaction.
 *
 * How to extend: a new channel parses its payload with its own zod schemas into InboundBatch
 * values; it never touches storage.
 */
export interface InboundEvent<T extends EventType = EventType> {
	type: T;
	channel: EventChannel;
	occurredAt: number;
	/** Unique per tenant, e.g. `telegram:<bot>:<update_id>`; a second event with it is a no-op. */
	sourceKey: string;
	data: EventData<T>;
	/** A deep-link token the customer arrived with (Telegram /start, VK ref, MAX start payload). */
	linkToken?: string;
	/**
	 * A phone number the sender shared as their own, proven by the platform (Telegram: a contact
	 * whose user_id is the sender's). Handed to the reactors of this ingest, never stored as such.
	 */
	sharedPhone?: string;
}

export interface InboundBatch {
	identifiers: IdentifierInput[];
	/**
	 * The unverified identifiers were typed by someone nobody authenticated (a guest checkout, a
	 * shop account's billing fields): claims, which never join a customer holding verified evidence
	 * (docs/identity.md, "Claims").
	 */
	claims?: boolean;
	/**
	 * The batch belongs to the customer of the event with this source key when it exists (a later
	 * delivery of the same order), whatever its identifiers claim.
	 */
	anchorSourceKey?: string;
	profile?: ProfileHint;
	events: InboundEvent[];
}

export interface InboundContext {
	tenantId: string;
	connectionId: string | null;
	receivedAt: number;
	/** Connection settings the adapter stored (e.g. the bot id), already parsed from JSON. */
	settings: Record<string, unknown>;
}

/** A payload that will never parse, whatever the retry: it goes to quarantine with this message. */
export class UnparseablePayloadError extends Error {
	override readonly name: string = 'UnparseablePayloadError';
}

/** Turns one stored raw payload into batches; `[]` means "nothing for the timeline" (e.g. a ping). */
export type InboundParser = (payload: unknown, context: InboundContext) => InboundBatch[];
