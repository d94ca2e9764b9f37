import { z } from 'zod';
import { maxBadRequest } from './errors.ts';

/**
 * `inline_keyboard` attachments as dev.max.ru documents them (InlineKeyboardAttachmentRequest):
 * rows of buttons, each with a `type` and a `text` of 1-128 chars; a `callback` carries a
 * `payload` (≤ 1024 chars), a `link` a `url` (≤ 2048 chars). At most 30 rows, 7 buttons a row and
 * 210 in all. Error strings are UNVERIFIED (the `proto.payload` code is what MAX answers to bad bodies).
 */
const buttonTypes = [
	'callback',
	'link',
	'request_geo_location',
	'request_contact',
	'open_app',
	'message',
	'clipboard',
] as const;

const button = z.looseObject({
	type: z.enum(buttonTypes),
	text: z.string().min(1).max(128),
	payload: z.string().max(1024).optional(),
	url: z.string().max(2048).optional(),
});

const keyboard = z.looseObject({
	buttons: z.array(z.array(button).min(1).max(7)).min(1).max(30),
});

export type MaxKeyboardButton = z.infer<typeof button>;

function isHttpUrl(raw: string): boolean {
	try {
		const url = new URL(raw);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** Checks every `inline_keyboard` attachment of a new message; throws a 400 on the first fault. */
export function checkKeyboards(attachments: readonly { type: string; payload?: unknown }[]): void {
	for (const attachment of attachments) {
		if (attachment.type !== 'inline_keyboard') continue;
		const parsed = keyboard.safeParse(attachment.payload);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw maxBadRequest(
				`attachments.payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
			);
		}
		const all = parsed.data.buttons.flat();
		if (all.length > 210) throw maxBadRequest('attachments.payload.buttons: at most 210 buttons');
		for (const b of all) {
			if (b.type === 'link' && (!b.url || !isHttpUrl(b.url))) {
				throw maxBadRequest('attachments.payload.buttons.url: a link button needs an http(s) URL');
			}
			if (b.type === 'callback' && !b.payload) {
				throw maxBadRequest('attachments.payload.buttons.payload: a callback button needs a payload');
			}
		}
	}
}

/** The buttons of a message's inline keyboard, flattened (for players pressing them). */
export function keyboardButtons(
	attachments: readonly { type: string; payload?: unknown }[] | null,
): MaxKeyboardButton[] {
	const out: MaxKeyboardButton[] = [];
	for (const attachment of attachments ?? []) {
		if (attachment.type !== 'inline_keyboard') continue;
		const parsed = keyboard.safeParse(attachment.payload);
		if (parsed.success) out.push(...parsed.data.buttons.flat());
	}
	return out;
}
