import { z } from 'zod';

// The subset of VK's 5.199 objects (vk-api-schema `messages_message`, callback objects) Nitka reads.
const SizedUrl = z.looseObject({
	type: z.string().optional(),
	url: z.string().optional(),
	width: z.number().optional(),
});
const Media = z.looseObject({
	id: z.number().int(),
	owner_id: z.number().int(),
	access_key: z.string().optional(),
});

export const VkAttachmentSchema = z.looseObject({
	type: z.string(),
	photo: Media.extend({ sizes: z.array(SizedUrl).optional(), text: z.string().optional() }).optional(),
	doc: Media.extend({
		title: z.string().optional(),
		size: z.number().optional(),
		ext: z.string().optional(),
		url: z.string().optional(),
	}).optional(),
	audio_message: Media.extend({
		duration: z.number().optional(),
		link_ogg: z.string().optional(),
	}).optional(),
	video: Media.extend({ title: z.string().optional() }).optional(),
	sticker: z
		.looseObject({ sticker_id: z.number().int(), product_id: z.number().int().optional() })
		.optional(),
});
export type VkAttachment = z.infer<typeof VkAttachmentSchema>;

export const VkMessageSchema = z.looseObject({
	id: z.number().int(),
	date: z.number().int(),
	peer_id: z.number().int(),
	from_id: z.number().int(),
	text: z.string().default(''),
	out: z.number().int().optional(),
	update_time: z.number().int().optional(),
	attachments: z.array(VkAttachmentSchema).default([]),
	geo: z
		.looseObject({ coordinates: z.looseObject({ latitude: z.number(), longitude: z.number() }) })
		.optional(),
	payload: z.string().optional(),
	ref: z.string().optional(),
	ref_source: z.string().optional(),
});
export type VkMessage = z.infer<typeof VkMessageSchema>;

export const VkEnvelopeSchema = z.looseObject({
	type: z.string(),
	event_id: z.string().min(1).optional(),
	group_id: z.number().int(),
	v: z.string().optional(),
	object: z.unknown().optional(),
	secret: z.string().optional(),
});

export const MessageNewObjectSchema = z.looseObject({ message: VkMessageSchema });
export const MessageEventObjectSchema = z.looseObject({
	user_id: z.number().int(),
	peer_id: z.number().int(),
	event_id: z.string(),
	payload: z.unknown().optional(),
});
export const MessageAllowObjectSchema = z.looseObject({
	user_id: z.number().int(),
	key: z.string().optional(),
});
export const MessageDenyObjectSchema = z.looseObject({ user_id: z.number().int() });
