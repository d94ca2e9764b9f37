import { badRequest, forbidden } from '../errors.ts';
import type { ReplyMarkup } from '../reply-markup.ts';
import { messageMarkup } from '../reply-markup.ts';
import type { ChatRecord } from '../state.ts';
import type { TgMessage } from '../types.ts';
import type { MethodContext } from './context.ts';

/** Resolves `chat_id` to a chat the bot may write to, with Telegram's 400/403 answers. */
export function targetChat({ bot, params }: MethodContext): ChatRecord {
	const chatId = params.raw('chat_id');
	if (chatId === undefined || chatId === null || chatId === '') throw badRequest('chat_id is empty');
	const record =
		typeof chatId === 'number' || typeof chatId === 'string' ? bot.resolveChat(chatId) : undefined;
	if (!record) throw badRequest('chat not found');
	if (record.chat.type === 'private' && !record.started)
		throw forbidden("bot can't initiate conversation with a user");
	if (record.blocked) throw forbidden('bot was blocked by the user');
	return record;
}

/** Charges the message limits (§1.5); throws the 429 when one is exhausted. */
export function chargeLimits(context: MethodContext, record: ChatRecord): void {
	const refusal = context.limits.charge(
		context.bot.token,
		record.chat.id,
		context.params.bool('allow_paid_broadcast'),
	);
	if (refusal) throw refusal;
}

/** Creates the bot's message in the chat and records it for assertions. */
export function postMessage(
	context: MethodContext,
	record: ChatRecord,
	method: string,
	content: Omit<TgMessage, 'message_id' | 'from' | 'chat' | 'date'>,
	markup: ReplyMarkup | undefined,
): TgMessage {
	const message: TgMessage = {
		message_id: record.nextMessageId,
		from: context.bot.user,
		chat: record.chat,
		date: context.state.unixNow(),
		...content,
	};
	const inline = messageMarkup(markup);
	if (inline) message.reply_markup = inline;
	record.nextMessageId += 1;
	record.messages.set(message.message_id, message);
	record.sent.push({
		method,
		message,
		at: context.state.clock.now(),
		...(markup ? { replyMarkup: markup } : {}),
	});
	return message;
}
