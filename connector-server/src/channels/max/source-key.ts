import { z } from 'zod';

const KeyFields = z.looseObject({
	update_type: z.string(),
	timestamp: z.number(),
	message: z
		.looseObject({ body: z.looseObject({ mid: z.string() }) })
		.nullable()
		.optional(),
	callback: z.looseObject({ callback_id: z.string() }).optional(),
	user: z.looseObject({ user_id: z.number() }).optional(),
	chat_id: z.number().optional(),
});

/**
 * MAX updates carry no update id, so the key is built from what identifies each: the message id
 * (`mid`), the callback id, or the user and time of a start/stop. A redelivery gets the same key.
 */
export function maxSourceKey(body: unknown, bot: string): string | null {
	const parsed = KeyFields.safeParse(body);
	if (!parsed.success) return null;
	const u = parsed.data;
	const mid = u.message?.body.mid;
	if (u.update_type === 'message_created' && mid) return `max:${bot}:message:${mid}`;
	if (u.update_type === 'message_edited' && mid) return `max:${bot}:edit:${mid}:${u.timestamp}`;
	if (u.update_type === 'message_callback' && u.callback)
		return `max:${bot}:callback:${u.callback.callback_id}`;
	const who = u.user?.user_id ?? u.chat_id ?? 'unknown';
	return `max:${bot}:${u.update_type}:${who}:${u.timestamp}`;
}
