import { z } from 'zod';

// The subset of the Bot API's Update that Nitka reads; unknown fields pass through untouched.
export const TelegramUserSchema = z.looseObject({
	id: z.number().int(),
	is_bot: z.boolean().optional(),
	first_name: z.string(),
	last_name: z.string().optional(),
	username: z.string().optional(),
	language_code: z.string().optional(),
});

const ChatSchema = z.looseObject({ id: z.number().int(), type: z.string() });

const PhotoSizeSchema = z.looseObject({
	file_id: z.string(),
	file_unique_id: z.string(),
	width: z.number(),
	height: z.number(),
	file_size: z.number().optional(),
});
const FileSchema = z.looseObject({
	file_id: z.string(),
	file_unique_id: z.string(),
	file_name: z.string().optional(),
	mime_type: z.string().optional(),
	file_size: z.number().optional(),
});

export const TelegramMessageSchema = z.looseObject({
	message_id: z.number().int(),
	date: z.number().int(),
	edit_date: z.number().int().optional(),
	chat: ChatSchema,
	from: TelegramUserSchema.optional(),
	text: z.string().optional(),
	caption: z.string().optional(),
	photo: z.array(PhotoSizeSchema).optional(),
	document: FileSchema.optional(),
	voice: FileSchema.extend({ duration: z.number() }).optional(),
	video: FileSchema.optional(),
	audio: FileSchema.optional(),
	sticker: z
		.looseObject({ file_id: z.string(), file_unique_id: z.string(), emoji: z.string().optional() })
		.optional(),
	location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
	contact: z
		.looseObject({
			phone_number: z.string(),
			first_name: z.string(),
			last_name: z.string().optional(),
			user_id: z.number().int().optional(),
		})
		.optional(),
});
export type TelegramMessage = z.infer<typeof TelegramMessageSchema>;

export const TelegramUpdateSchema = z.looseObject({
	update_id: z.number().int().nonnegative(),
	message: TelegramMessageSchema.optional(),
	edited_message: TelegramMessageSchema.optional(),
	callback_query: z
		.looseObject({
			id: z.string(),
			from: TelegramUserSchema,
			data: z.string().optional(),
			message: TelegramMessageSchema.optional(),
		})
		.optional(),
	my_chat_member: z
		.looseObject({
			chat: ChatSchema,
			from: TelegramUserSchema,
			date: z.number().int(),
			old_chat_member: z.looseObject({ status: z.string() }),
			new_chat_member: z.looseObject({ status: z.string() }),
		})
		.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;
