import { z } from 'zod';
import { MessagingChannelSchema } from '../channels.ts';

/** A platform file kept as a reference (served to UIs through the connector's media proxy). */
export const AttachmentSchema = z.object({
	kind: z.enum(['photo', 'document', 'voice', 'video', 'sticker', 'audio']),
	/** The platform's own handle, e.g. a Telegram file_id or a VK "photo-1_2" attachment string. */
	ref: z.string().min(1).max(1000),
	mimeType: z.string().max(200).optional(),
	fileName: z.string().max(500).optional(),
	size: z.number().int().nonnegative().optional(),
	caption: z.string().max(4096).optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const LocationSchema = z.object({
	latitude: z.number().min(-90).max(90),
	longitude: z.number().min(-180).max(180),
	title: z.string().max(500).optional(),
});

const messageBase = {
	channel: MessagingChannelSchema,
	connectionId: z.string(),
	/** The chat / peer the message belongs to on the platform. */
	chatId: z.string().min(1).max(100),
	/** The platform's id for this message; with `channel` it is the loop-guard origin. */
	externalId: z.string().min(1).max(200),
	text: z.string().max(20_000).optional(),
	attachments: z.array(AttachmentSchema).max(20).default([]),
	location: LocationSchema.optional(),
};

export const MessageInDataSchema = z.object({
	...messageBase,
	/** Set when the customer edited an earlier message. */
	editOf: z.string().max(200).optional(),
	/** A pressed button's payload. */
	buttonData: z.string().max(1000).optional(),
});

export const MessageOutDataSchema = z.object({
	...messageBase,
	externalId: z.string().min(1).max(200).optional(),
	/** Who answered: a host user id (Bitrix24 operator, WordPress user) or "bot". */
	author: z.string().max(200).optional(),
	/** Where the reply was written, e.g. "bitrix24" for an open-line answer; never echoed back there. */
	origin: z.string().max(50).optional(),
});

export const ChannelAccessDataSchema = z.object({
	channel: MessagingChannelSchema,
	connectionId: z.string(),
	chatId: z.string().min(1).max(100),
});
