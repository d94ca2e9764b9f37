import { z } from 'zod';
import { MarketplaceSchema, MessagingChannelSchema } from './channels.ts';
import { IdSchema, TimestampSchema } from './common.ts';
import { OrderSourceSchema, OrderStatusSchema } from './events/order.ts';
import { ConnectionSchema } from './tenant.ts';

/** How many days back a first connection reads; the marketplaces' order lists keep about 30. */
const BackfillDaysSchema = z.number().int().min(1).max(90).default(30);
const secret = z.string().trim().min(8, 'key is too short').max(2000).regex(/^\S+$/, 'key has spaces');

/** Connecting a marketplace with its seller keys. Keys are validated against the platform, then sealed. */
export const ConnectMarketplaceRequestSchema = z.discriminatedUnion('marketplace', [
	z.object({
		marketplace: z.literal('ozon'),
		clientId: z
			.string()
			.trim()
			.regex(/^\d{1,20}$/, 'Client-Id is a number'),
		apiKey: secret,
		name: z.string().trim().min(1).max(200).optional(),
		backfillDays: BackfillDaysSchema,
	}),
	z.object({
		marketplace: z.literal('wildberries'),
		token: secret,
		name: z.string().trim().min(1).max(200).optional(),
		backfillDays: BackfillDaysSchema,
	}),
	z.object({
		marketplace: z.literal('yandex-market'),
		apiKey: secret,
		businessId: z.number().int().positive(),
		/** The shop's campaigns; default every campaign of the business. */
		campaignIds: z.array(z.number().int().positive()).max(50).optional(),
		name: z.string().trim().min(1).max(200).optional(),
		backfillDays: BackfillDaysSchema,
	}),
]);
export type ConnectMarketplaceRequest = z.input<typeof ConnectMarketplaceRequestSchema>;

/** Where a connection's order sync stands: hosts show this as the backfill progress bar. */
export const MarketplaceSyncSchema = z.object({
	phase: z.enum(['backfill', 'live']),
	backfillFrom: TimestampSchema,
	backfillTo: TimestampSchema,
	/** 0–100, estimated from how far the backfill's pages have walked through the period. */
	percent: z.number().min(0).max(100),
	ordersSeen: z.number().int().min(0),
	pages: z.number().int().min(0),
	backfillFinishedAt: TimestampSchema.nullable(),
	lastPollAt: TimestampSchema.nullable(),
	lastError: z.string().nullable(),
	/** Stored pages and pushes not yet turned into events, and those that could not be. */
	pending: z.number().int().min(0),
	quarantined: z.number().int().min(0),
});
export type MarketplaceSync = z.infer<typeof MarketplaceSyncSchema>;

export const MarketplaceConnectionSchema = z.object({
	connection: ConnectionSchema,
	marketplace: MarketplaceSchema,
	sync: MarketplaceSyncSchema,
	/**
	 * The URL to paste into the marketplace's push settings (null where it has none). Neither Ozon
	 * nor Yandex Market signs pushes, so the URL carries a per-connection secret: keep it private.
	 */
	pushUrl: z.string().nullable(),
});
export type MarketplaceConnection = z.infer<typeof MarketplaceConnectionSchema>;

/** One marketplace order as Nitka tracks it: the current status in the shared lifecycle and the raw one. */
export const OrderSchema = z.object({
	id: IdSchema,
	source: OrderSourceSchema,
	connectionId: IdSchema.nullable(),
	externalId: z.string(),
	number: z.string(),
	status: OrderStatusSchema,
	rawStatus: z.string(),
	customerId: IdSchema,
	/** Whether the marketplace named the buyer (rFBS, DBS, business buyer). */
	buyerKnown: z.boolean(),
	createdAt: TimestampSchema,
	statusAt: TimestampSchema,
});
export type Order = z.infer<typeof OrderSchema>;

export const ParcelInsertRequestSchema = z.object({
	/** Lifetime of the link; a parcel travels for days, so default 30 days. */
	ttlSeconds: z
		.number()
		.int()
		.min(3600)
		.max(90 * 86_400)
		.default(30 * 86_400),
});

/** What a parcel insert carries: a single-use token bound to the order and a link per messenger. */
export const ParcelInsertSchema = z.object({
	orderId: IdSchema,
	number: z.string(),
	caption: z.string(),
	token: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
	expiresAt: TimestampSchema,
	links: z.array(z.object({ channel: MessagingChannelSchema, connectionId: IdSchema, url: z.string() })),
});
export type ParcelInsert = z.infer<typeof ParcelInsertSchema>;
