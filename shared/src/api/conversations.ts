import { z } from 'zod';
import { MessagingChannelSchema } from '../channels.ts';
import { IdSchema, TimestampSchema } from '../common.ts';

export const ConversationStatusSchema = z.enum(['open', 'pending', 'resolved']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

/** A messenger chat a customer wrote from; replies go to one of these. */
export const ConversationChatSchema = z.object({
	channel: MessagingChannelSchema,
	connectionId: IdSchema,
	chatId: z.string(),
	/** False after the customer blocked the bot or denied messages, until they write again. */
	reachable: z.boolean(),
	lastInboundAt: TimestampSchema,
});

/**
 * One conversation per customer across every channel. `open`: the shop owes an answer;
 * `pending`: the shop answered, waiting for the customer; `resolved`: closed until they write again.
 */
export const ConversationSchema = z.object({
	id: IdSchema,
	customerId: IdSchema,
	status: ConversationStatusSchema,
	assignee: z.string().nullable(),
	openedAt: TimestampSchema,
	firstResponseAt: TimestampSchema.nullable(),
	resolvedAt: TimestampSchema.nullable(),
	lastInboundAt: TimestampSchema.nullable(),
	/** The channel the customer last wrote from: where a reply goes by default. */
	lastChannel: MessagingChannelSchema.nullable(),
	/** Seconds from opening to the first answer, once answered. */
	firstResponseSeconds: z.number().nullable(),
	/** Seconds from opening to resolution, once resolved. */
	resolutionSeconds: z.number().nullable(),
	chats: z.array(ConversationChatSchema),
	updatedAt: TimestampSchema,
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationUpdateSchema = z
	.object({
		status: ConversationStatusSchema.optional(),
		/** A host user id; null unassigns. */
		assignee: z.string().min(1).max(200).nullable().optional(),
	})
	.refine((u) => u.status !== undefined || u.assignee !== undefined, {
		message: 'give status or assignee',
	});

export const ConversationListQuerySchema = z.object({
	status: ConversationStatusSchema.optional(),
	assignee: z.string().min(1).max(200).optional(),
	limit: z.coerce.number().int().min(1).max(200).default(50),
	before: IdSchema.optional(),
});

/** An operator's reply. Without `channel`, it goes where the customer last wrote from. */
export const ReplyRequestSchema = z.object({
	text: z.string().trim().min(1, 'text is empty').max(20_000),
	channel: MessagingChannelSchema.optional(),
	/** Pick one connection of the channel (a shop may have two bots). */
	connectionId: IdSchema.optional(),
	/** Who answered: a host user id or "bot". */
	author: z.string().min(1).max(200).optional(),
	/** Where the reply was written (e.g. "bitrix24"); it is never sent back into that channel. */
	origin: z.string().min(1).max(50).optional(),
	/** Makes a retried API call safe: the same key within a tenant sends once. */
	idempotencyKey: z
		.string()
		.regex(/^[A-Za-z0-9_.:-]{1,100}$/)
		.optional(),
});
export type ReplyRequest = z.infer<typeof ReplyRequestSchema>;

export const ReplyResultSchema = z.object({
	replyId: z.string(),
	eventId: z.string().nullable(),
	channel: MessagingChannelSchema,
	connectionId: IdSchema,
	chatId: z.string(),
	/** How many platform messages the text was split into. */
	parts: z.number().int().positive(),
});
export type ReplyResult = z.infer<typeof ReplyResultSchema>;
