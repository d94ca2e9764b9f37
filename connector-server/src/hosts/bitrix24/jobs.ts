import { MarketplaceSchema, OrderStatusSchema } from '@nitka/shared';
import { z } from 'zod';

/** Outbox job kinds of the Bitrix24 host and their payloads (validated again when delivered). */
export const JOB = {
	openLineSend: 'bitrix24.open-line.send',
	timelineLog: 'bitrix24.timeline.log',
	operatorReply: 'bitrix24.operator-reply',
	dealSync: 'bitrix24.deal.sync',
	contactCheck: 'bitrix24.contact.check',
} as const;

export const OpenLineSendSchema = z.object({
	customerId: z.string(),
	channel: z.string(),
	connectionId: z.string(),
	chatId: z.string(),
	externalId: z.string(),
	text: z.string(),
	name: z.string().default(''),
	at: z.number(),
});

export const TimelineLogSchema = z.object({
	customerId: z.string(),
	title: z.string().min(1).max(200),
	text: z.string().min(1).max(5000),
	icon: z.string().default('info'),
});

export const OperatorReplySchema = z.object({
	line: z.number().int(),
	imChatId: z.number(),
	imMessageId: z.number(),
	chatKey: z.string(),
	text: z.string(),
	operatorId: z.number().optional(),
	at: z.number(),
});

export const DealSyncSchema = z.object({
	customerId: z.string(),
	source: z.string(),
	orderId: z.string(),
	number: z.string(),
	status: OrderStatusSchema,
	/** Decimal string, as shared's MoneySchema. */
	total: z.string().optional(),
	currency: z.string().default('RUB'),
});

export const ContactCheckSchema = z.object({ contactId: z.string() });

export const isMarketplace = (source: string) => MarketplaceSchema.safeParse(source).success;
