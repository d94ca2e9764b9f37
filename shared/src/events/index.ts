import { z } from 'zod';
import { EventChannelSchema } from '../channels.ts';
import { IdSchema, TimestampSchema } from '../common.ts';
import { CartAbandonedDataSchema } from './cart.ts';
import {
	PosPickupDataSchema,
	PosPurchaseDataSchema,
	PosReturnDataSchema,
	PosVisitDataSchema,
	PromoIssuedDataSchema,
	PromoRedeemedDataSchema,
} from './counter.ts';
import {
	ConsentDataSchema,
	CustomerMergedDataSchema,
	CustomerUnmergedDataSchema,
	IdentityLinkedDataSchema,
	IdentityUnlinkedDataSchema,
	NoteDataSchema,
} from './customer.ts';
import { ChannelAccessDataSchema, MessageInDataSchema, MessageOutDataSchema } from './message.ts';
import { OrderCreatedDataSchema, OrderStatusChangedDataSchema } from './order.ts';
import { ReturnApprovedDataSchema, ReturnRejectedDataSchema, ReturnRequestedDataSchema } from './returns.ts';

/**
 * Every timeline event type and the schema of its `data`. Adding a type is one line here plus
 * its schema; nothing in shared code branches on a specific type.
 */
export const eventDataSchemas = {
	'message.in': MessageInDataSchema,
	'message.out': MessageOutDataSchema,
	'channel.blocked': ChannelAccessDataSchema,
	'channel.unblocked': ChannelAccessDataSchema,
	'order.created': OrderCreatedDataSchema,
	'order.status_changed': OrderStatusChangedDataSchema,
	'cart.abandoned': CartAbandonedDataSchema,
	'pos.visit': PosVisitDataSchema,
	'pos.purchase': PosPurchaseDataSchema,
	'pos.pickup': PosPickupDataSchema,
	'pos.return': PosReturnDataSchema,
	'promo.issued': PromoIssuedDataSchema,
	'promo.redeemed': PromoRedeemedDataSchema,
	'return.requested': ReturnRequestedDataSchema,
	'return.approved': ReturnApprovedDataSchema,
	'return.rejected': ReturnRejectedDataSchema,
	'consent.given': ConsentDataSchema,
	'consent.withdrawn': ConsentDataSchema,
	'customer.merged': CustomerMergedDataSchema,
	'customer.unmerged': CustomerUnmergedDataSchema,
	'identity.linked': IdentityLinkedDataSchema,
	'identity.unlinked': IdentityUnlinkedDataSchema,
	note: NoteDataSchema,
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as [EventType, ...EventType[]];
export const EventTypeSchema = z.enum(eventTypes);
export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;

const envelope = {
	id: IdSchema,
	tenantId: IdSchema,
	customerId: IdSchema,
	channel: EventChannelSchema,
	/** When it happened on the platform (the timeline's order). */
	occurredAt: TimestampSchema,
	/** When Nitka stored it. */
	recordedAt: TimestampSchema,
	/** Unique per tenant: `telegram:<bot>:<update_id>`, `ozon:<posting>:<status>`… */
	sourceKey: z.string().min(1).max(300),
};

type EventVariant<T extends EventType> = z.ZodObject<{
	type: z.ZodLiteral<T>;
	data: (typeof eventDataSchemas)[T];
}>;

function variant<T extends EventType>(type: T) {
	return z.object({ ...envelope, type: z.literal(type), data: eventDataSchemas[type] });
}

/** A stored timeline event: the envelope plus typed data, discriminated by `type`. */
export const TimelineEventSchema = z.discriminatedUnion(
	'type',
	eventTypes.map((type) => variant(type)) as unknown as [
		EventVariant<EventType>,
		...EventVariant<EventType>[],
	],
);

export type TimelineEvent = {
	[T in EventType]: {
		id: string;
		tenantId: string;
		customerId: string;
		channel: z.infer<typeof EventChannelSchema>;
		occurredAt: string;
		recordedAt: string;
		sourceKey: string;
		type: T;
		data: EventData<T>;
	};
}[EventType];

/** Parses one event's data by its type; the error names the field that was wrong. */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventData<T> {
	return eventDataSchemas[type].parse(data) as EventData<T>;
}

export * from './cart.ts';
export * from './counter.ts';
export * from './customer.ts';
export * from './message.ts';
export * from './order.ts';
export * from './returns.ts';
