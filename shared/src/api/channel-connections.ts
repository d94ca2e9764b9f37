import { z } from 'zod';
import { MessagingChannelSchema } from '../channels.ts';
import { IdSchema, TimestampSchema } from '../common.ts';
import { ConnectionSchema } from '../tenant.ts';

/** Connecting a bot or community by its token. */
export const ConnectChannelRequestSchema = z.object({
	channel: MessagingChannelSchema,
	/** Telegram bot token, VK community token, MAX bot token. Stored sealed, never returned. */
	token: z.string().trim().min(10, 'token is too short').max(512).regex(/^\S+$/, 'token has spaces'),
	name: z.string().trim().min(1).max(200).optional(),
});
export type ConnectChannelRequest = z.infer<typeof ConnectChannelRequestSchema>;

export const ConnectChannelResultSchema = z.object({
	connection: ConnectionSchema,
	/** `webhook` when a public URL is configured, otherwise `polling` from inside the server. */
	mode: z.enum(['webhook', 'polling']),
});

/** A single-use deep-link token bound to a known customer, or to the customer of an order. */
export const LinkTokenRequestSchema = z
	.object({
		customerId: IdSchema.optional(),
		/** A source order id as the order events carry it (posting number, WooCommerce order id). */
		orderId: z.string().min(1).max(200).optional(),
		/** Lifetime; default one day, at most 30 days. */
		ttlSeconds: z
			.number()
			.int()
			.min(60)
			.max(30 * 86_400)
			.default(86_400),
	})
	.refine((r) => (r.customerId === undefined) !== (r.orderId === undefined), {
		message: 'give exactly one of customerId or orderId',
	});

export const LinkTokenResultSchema = z.object({
	/** ≤ 64 chars of [A-Za-z0-9_-]: fits a Telegram start payload, a VK ref and a MAX start payload. */
	token: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
	customerId: IdSchema,
	expiresAt: TimestampSchema,
	/** Ready-made links per connected messenger connection. */
	links: z.array(z.object({ channel: MessagingChannelSchema, connectionId: IdSchema, url: z.string() })),
});
