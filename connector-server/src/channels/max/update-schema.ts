import { z } from 'zod';

// The subset of MAX bot API objects Nitka reads (SDK typings of @maxhub/max-bot-api 0.3.1).
export const MaxUserSchema = z.looseObject({
	user_id: z.number().int(),
	first_name: z.string().optional(),
	last_name: z.string().nullable().optional(),
	name: z.string().nullable().optional(),
	is_bot: z.boolean().optional(),
});

const AttachmentSchema = z.looseObject({
	type: z.string(),
	payload: z
		.looseObject({
			url: z.string().optional(),
			token: z.string().optional(),
			photo_id: z.number().optional(),
			file_id: z.number().optional(),
			code: z.string().optional(),
			vcf_info: z.string().optional(),
		})
		.nullable()
		.optional(),
	filename: z.string().optional(),
	size: z.number().optional(),
	latitude: z.number().optional(),
	longitude: z.number().optional(),
});
export type MaxAttachment = z.infer<typeof AttachmentSchema>;

export const MaxMessageSchema = z.looseObject({
	sender: MaxUserSchema.optional(),
	recipient: z.looseObject({
		chat_id: z.number().int().nullable(),
		chat_type: z.string(),
		user_id: z.number().int().nullable().optional(),
	}),
	timestamp: z.number(),
	body: z.looseObject({
		mid: z.string(),
		text: z.string().nullable().optional(),
		attachments: z.array(AttachmentSchema).nullable().optional(),
	}),
});
export type MaxMessage = z.infer<typeof MaxMessageSchema>;

export const MaxUpdateSchema = z.discriminatedUnion('update_type', [
	z.looseObject({
		update_type: z.literal('message_created'),
		timestamp: z.number(),
		message: MaxMessageSchema,
	}),
	z.looseObject({
		update_type: z.literal('message_edited'),
		timestamp: z.number(),
		message: MaxMessageSchema,
	}),
	z.looseObject({
		update_type: z.literal('message_callback'),
		timestamp: z.number(),
		callback: z.looseObject({ callback_id: z.string(), payload: z.string().optional(), user: MaxUserSchema }),
		message: MaxMessageSchema.nullable().optional(),
	}),
	z.looseObject({
		update_type: z.literal('bot_started'),
		timestamp: z.number(),
		chat_id: z.number().int(),
		user: MaxUserSchema,
		payload: z.string().nullable().optional(),
	}),
	z.looseObject({
		update_type: z.literal('bot_stopped'),
		timestamp: z.number(),
		chat_id: z.number().int(),
		user: MaxUserSchema,
	}),
]);
export type MaxUpdate = z.infer<typeof MaxUpdateSchema>;

/** Any update, known type or not: enough to name its dedupe key. */
export const MaxAnyUpdateSchema = z.looseObject({ update_type: z.string(), timestamp: z.number() });
