import { z } from 'zod';
import { VkApiError } from './errors.ts';
import type { JsonObject } from './types.ts';

/** Button action types of `messages_keyboard_button` (vk-api-schema 5.199). */
const action = z
	.looseObject({
		type: z.enum(['text', 'open_link', 'location', 'vkpay', 'open_app', 'callback', 'open_photo']),
		label: z.string().max(40).optional(),
		payload: z.string().max(255).optional(),
		/** `open_link`: the link to open (`messages_keyboard_button_action_open_link.link`, required). */
		link: z.string().optional(),
	})
	// open_link needs its link (an http(s) URL) and a label; text and callback buttons need a label.
	.refine(
		(a) => a.type !== 'open_link' || (!!a.link && isHttpUrl(a.link) && !!a.label),
		'open_link: link and label',
	)
	.refine((a) => !['text', 'callback'].includes(a.type) || !!a.label, 'label is required');

const button = z
	.looseObject({
		action,
		color: z.enum(['primary', 'secondary', 'negative', 'positive']).optional(),
	})
	// The bots guide: `color` is only for text and callback buttons.
	.refine((b) => b.color === undefined || ['text', 'callback'].includes(b.action.type), 'color');

function isHttpUrl(raw: string): boolean {
	try {
		const url = new URL(raw);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/**
 * `messages_keyboard`. Size caps as the bots guide gives them (not in the schema; UNVERIFIED here): a
 * regular keyboard has at most 10 rows of 5 buttons (40 in all), an inline one 6 rows (10 in all).
 */
const keyboard = z
	.looseObject({
		one_time: z.boolean().optional(),
		inline: z.boolean().optional(),
		buttons: z.array(z.array(button).max(5)),
	})
	.refine((k) => k.buttons.length <= (k.inline ? 6 : 10), 'too many rows')
	.refine((k) => k.buttons.flat().length <= (k.inline ? 10 : 40), 'too many buttons');

/** Parses the `keyboard` parameter (a JSON string) or fails with error 911. */
export function parseKeyboard(raw: string): JsonObject {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new VkApiError(911);
	}
	const result = keyboard.safeParse(parsed);
	if (!result.success) throw new VkApiError(911);
	return parsed as JsonObject;
}
