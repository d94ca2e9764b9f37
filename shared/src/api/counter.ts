import { z } from 'zod';
import { CurrencySchema, IdSchema, MoneySchema, TimestampSchema } from '../common.ts';
import { TimelineEventSchema } from '../events/index.ts';
import { OrderItemSchema, OrderStatusSchema } from '../events/order.ts';
import { IdentifierTypeSchema } from '../identity.ts';

/** The counter API's shapes (docs/counter.md): locations, devices, the customer card, actions. */

export const locationKinds = ['store', 'pickup_point'] as const;
export const LocationKindSchema = z.enum(locationKinds);

export const CounterLocationSchema = z.object({
	id: IdSchema,
	name: z.string(),
	address: z.string().nullable(),
	kind: LocationKindSchema,
	active: z.boolean(),
	createdAt: TimestampSchema,
	updatedAt: TimestampSchema,
});
export type CounterLocation = z.infer<typeof CounterLocationSchema>;

export const CreateLocationRequestSchema = z.object({
	name: z.string().trim().min(1).max(200),
	address: z.string().trim().max(500).optional(),
	kind: LocationKindSchema.default('store'),
});
export const UpdateLocationRequestSchema = z
	.object({
		name: z.string().trim().min(1).max(200).optional(),
		address: z.string().trim().max(500).nullable().optional(),
		kind: LocationKindSchema.optional(),
		active: z.boolean().optional(),
	})
	.refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' });

export const CounterDeviceSchema = z.object({
	id: IdSchema,
	locationId: IdSchema,
	name: z.string(),
	createdAt: TimestampSchema,
	lastSeenAt: TimestampSchema.nullable(),
	revokedAt: TimestampSchema.nullable(),
});
export type CounterDevice = z.infer<typeof CounterDeviceSchema>;

export const CreateCounterDeviceRequestSchema = z.object({ name: z.string().trim().min(1).max(200) });
/** The device key (`nkc_…`) is in this answer only; Nitka keeps its SHA-256. */
export const CreatedCounterDeviceSchema = z.object({ device: CounterDeviceSchema, key: z.string() });

export const CounterSessionSchema = z.object({
	device: z.object({ id: IdSchema, name: z.string() }),
	location: CounterLocationSchema,
	shop: z.object({ id: IdSchema, name: z.string() }),
});

/** Identify by a scanned QR (`nq1.…`), a typed phone, or a loyalty card number (EAN-13). */
export const CounterIdentifyRequestSchema = z.union([
	z.object({ qr: z.string().trim().min(1).max(1000) }).strict(),
	z.object({ phone: z.string().trim().min(3).max(40) }).strict(),
	z.object({ loyalty: z.string().trim().min(1).max(40) }).strict(),
]);
export type CounterIdentifyRequest = z.infer<typeof CounterIdentifyRequestSchema>;

export const CounterPickupStateSchema = z.enum(['to_prepare', 'ready', 'collected', 'cancelled']);

export const CounterPickupSchema = z.object({
	orderId: IdSchema,
	number: z.string(),
	source: z.string(),
	orderStatus: OrderStatusSchema.nullable(),
	customerId: IdSchema,
	customerName: z.string().nullable(),
	state: CounterPickupStateSchema,
	createdAt: TimestampSchema,
	readyAt: TimestampSchema.nullable(),
	collectedAt: TimestampSchema.nullable(),
	/** What staff hand over: the order's items and total (empty / null when Nitka does not know them). */
	items: z.array(OrderItemSchema).default([]),
	total: MoneySchema.nullable().default(null),
	currency: CurrencySchema.nullable().default(null),
});
export type CounterPickup = z.infer<typeof CounterPickupSchema>;

export const CounterPromoCodeSchema = z.object({
	code: z.string(),
	campaign: z.string().nullable(),
	offer: z.string().nullable(),
	expiresAt: TimestampSchema.nullable(),
});

export const CounterReturnSchema = z.object({
	id: IdSchema,
	orderId: z.string().nullable(),
	orderNumber: z.string().nullable(),
	state: z.enum(['requested', 'approved', 'received', 'rejected']),
	reason: z.string().nullable(),
	items: z.array(OrderItemSchema),
	total: MoneySchema.nullable(),
	currency: CurrencySchema.nullable(),
	deadlineAt: TimestampSchema.nullable(),
});

export const CustomerCardSchema = z.object({
	customer: z.object({ id: IdSchema, name: z.string().nullable() }),
	/** Phones and emails masked; platform ids as stored. */
	identities: z.array(z.object({ type: IdentifierTypeSchema, value: z.string() })),
	loyaltyNumber: z.string(),
	/** The last 20 timeline events, newest first. */
	timeline: z.array(TimelineEventSchema),
	/** This location's pickup orders to prepare or ready. */
	pickups: z.array(CounterPickupSchema),
	promoCodes: z.array(CounterPromoCodeSchema),
	/** Approved returns awaiting the goods. */
	returns: z.array(CounterReturnSchema),
	/** What the identifying QR was, when it was one: a return QR names its return. */
	scanned: z
		.object({ kind: z.enum(['card', 'return']), returnId: IdSchema.nullable() })
		.nullable()
		.optional(),
});
export type CustomerCard = z.infer<typeof CustomerCardSchema>;

export const CounterVisitRequestSchema = z.object({ note: z.string().trim().max(2000).optional() });
export const CounterPurchaseRequestSchema = z.object({
	receiptId: z.string().trim().min(1).max(200),
	items: z.array(OrderItemSchema).max(500).default([]),
	total: MoneySchema,
	currency: CurrencySchema.default('RUB'),
});
export const CounterPickupRequestSchema = z.object({ orderId: IdSchema });
export const CounterReturnRequestSchema = z.object({
	/** A return QR (`nq1.…` of kind `return`) not yet scanned at identify. */
	returnToken: z.string().trim().min(1).max(1000).optional(),
	/** An approved return from the card (e.g. the one whose QR identified the customer). */
	returnId: IdSchema.optional(),
	orderId: z.string().trim().max(200).optional(),
	receiptId: z.string().trim().max(200).optional(),
	items: z.array(OrderItemSchema).max(500).default([]),
	total: MoneySchema.optional(),
	reason: z.string().trim().max(2000).optional(),
});
export const CounterRedeemRequestSchema = z.object({ code: z.string().trim().min(1).max(100) });
export const CounterNoteRequestSchema = z.object({ text: z.string().trim().min(1).max(2000) });

/** What a counter action answers; `duplicate` when the effect already existed (a receipt sent twice). */
export const CounterActionResultSchema = z.object({
	eventId: IdSchema.nullable(),
	duplicate: z.boolean(),
	customerId: IdSchema,
	pickup: CounterPickupSchema.optional(),
	returnId: IdSchema.optional(),
	code: z.string().optional(),
});
export type CounterActionResult = z.infer<typeof CounterActionResultSchema>;

export const CounterPickupListQuerySchema = z.object({
	state: z.enum(['to_prepare', 'ready']).optional(),
});
export const CounterPickupListSchema = z.object({ items: z.array(CounterPickupSchema) });

export const CardTokenResultSchema = z.object({
	token: z.string(),
	expiresAt: TimestampSchema,
	loyaltyNumber: z.string(),
});
