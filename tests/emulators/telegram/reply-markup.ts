import { z } from 'zod';
import { badRequest } from './errors.ts';
import type { Params } from './params.ts';
import type { TgInlineKeyboardButton, TgInlineKeyboardMarkup } from './types.ts';

// One action per inline button (https://core.telegram.org/bots/api#inlinekeyboardbutton).
const inlineActions = [
	'url',
	'callback_data',
	'web_app',
	'login_url',
	'switch_inline_query',
	'switch_inline_query_current_chat',
	'switch_inline_query_chosen_chat',
	'copy_text',
	'callback_game',
	'pay',
] as const;

const inlineButton = z.looseObject({
	text: z.string(),
	url: z.string().optional(),
	callback_data: z.string().optional(),
});

const keyboardButton = z.union([
	z.string(),
	z.looseObject({
		text: z.string(),
		request_contact: z.boolean().optional(),
		request_location: z.boolean().optional(),
	}),
]);

const inlineKeyboard = z.looseObject({ inline_keyboard: z.array(z.array(inlineButton)) });
const replyKeyboard = z.looseObject({
	keyboard: z.array(z.array(keyboardButton)),
	is_persistent: z.boolean().optional(),
	resize_keyboard: z.boolean().optional(),
	one_time_keyboard: z.boolean().optional(),
	input_field_placeholder: z.string().optional(),
});
const keyboardRemove = z.looseObject({ remove_keyboard: z.literal(true) });
const forceReply = z.looseObject({ force_reply: z.literal(true) });

export type InlineKeyboard = z.infer<typeof inlineKeyboard>;
export type ReplyKeyboard = z.infer<typeof replyKeyboard>;
export type ReplyMarkup =
	| InlineKeyboard
	| ReplyKeyboard
	| z.infer<typeof keyboardRemove>
	| z.infer<typeof forceReply>;

/** Reads and validates `reply_markup` with Telegram's error strings; `inlineOnly` for edit methods. */
export function readReplyMarkup(params: Params, inlineOnly = false): ReplyMarkup | undefined {
	const raw = params.json('reply_markup', "can't parse reply keyboard markup JSON object");
	if (raw === undefined) return undefined;
	const inline = inlineKeyboard.safeParse(raw);
	if (inline.success) {
		for (const button of inline.data.inline_keyboard.flat()) checkInlineButton(button);
		return inline.data;
	}
	if (inlineOnly) throw badRequest("can't parse inline keyboard markup JSON object");
	for (const schema of [replyKeyboard, keyboardRemove, forceReply]) {
		const parsed = schema.safeParse(raw);
		if (parsed.success) return parsed.data;
	}
	throw badRequest("can't parse reply keyboard markup JSON object");
}

function checkInlineButton(button: z.infer<typeof inlineButton>): void {
	const actions = inlineActions.filter((key) => button[key] !== undefined);
	if (actions.length === 0) {
		throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
	}
	if (actions.length > 1) {
		throw badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used");
	}
	if (button.callback_data !== undefined) {
		const bytes = Buffer.byteLength(button.callback_data);
		if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
	}
	if (button.url !== undefined && !isButtonUrl(button.url)) throw badRequest('BUTTON_URL_INVALID');
	if (button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
}

/**
 * `url`: "HTTP or tg:// URL to be opened when the button is pressed" (InlineKeyboardButton). An
 * http(s) URL needs a host; other schemes are refused. Telegram also refuses some hosts it deems
 * unreachable (UNVERIFIED which); loopback is accepted because tests have no public host.
 */
export function isButtonUrl(raw: string): boolean {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return false;
	}
	if (url.protocol === 'tg:') return true;
	return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** The Message object carries reply_markup only for inline keyboards. */
export function messageMarkup(markup: ReplyMarkup | undefined): TgInlineKeyboardMarkup | undefined {
	const inline = inlineKeyboard.safeParse(markup);
	if (!inline.success) return undefined;
	return {
		inline_keyboard: inline.data.inline_keyboard.map((row) =>
			row.map((button) => {
				const copy: TgInlineKeyboardButton = { text: button.text };
				if (button.callback_data !== undefined) copy.callback_data = button.callback_data;
				if (button.url !== undefined) copy.url = button.url;
				return copy;
			}),
		),
	};
}
