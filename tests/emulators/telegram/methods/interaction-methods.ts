import { parseFormattedText } from '../entities.ts';
import { badRequest } from '../errors.ts';
import { messageMarkup, readReplyMarkup } from '../reply-markup.ts';
import type { TgFile, TgMessage } from '../types.ts';
import type { MethodHandler } from './context.ts';

const maxFileDownloadBytes = 20 * 1024 * 1024;

export const editMessageText: MethodHandler = ({ bot, params, state }) => {
	if (params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
	const chatId = params.raw('chat_id');
	if (chatId === undefined || chatId === '') throw badRequest('chat_id is empty');
	const record =
		typeof chatId === 'number' || typeof chatId === 'string' ? bot.resolveChat(chatId) : undefined;
	if (!record) throw badRequest('chat not found');
	const messageId = params.int('message_id');
	const original = messageId === undefined ? undefined : record.messages.get(messageId);
	if (!original) throw badRequest('message to edit not found');
	if (original.from?.id !== bot.user.id) throw badRequest("message can't be edited");
	if (original.text === undefined) throw badRequest('there is no text in the message to edit');
	const { text, entities } = parseFormattedText(params.string('text') ?? '', params.string('parse_mode'));
	if (text.length === 0) throw badRequest('message text is empty');
	if (text.length > 4096) throw badRequest('MESSAGE_TOO_LONG');
	const markup = readReplyMarkup(params, true);
	const inline = messageMarkup(markup);
	const sameEntities = JSON.stringify(entities) === JSON.stringify(original.entities ?? []);
	const sameMarkup = JSON.stringify(inline) === JSON.stringify(original.reply_markup);
	if (text === original.text && sameEntities && sameMarkup) {
		throw badRequest(
			'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
		);
	}
	const edited: TgMessage = { ...original, text, edit_date: state.unixNow() };
	if (entities.length) edited.entities = entities;
	else delete edited.entities;
	if (inline) edited.reply_markup = inline;
	else delete edited.reply_markup;
	record.messages.set(edited.message_id, edited);
	record.sent.push({ method: 'editMessageText', message: edited, at: state.clock.now() });
	return edited;
};

export const answerCallbackQuery: MethodHandler = ({ bot, params }) => {
	const id = params.string('callback_query_id') ?? '';
	const query = bot.callbacks.get(id);
	if (!query || query.answered) {
		throw badRequest('query is too old and response timeout expired or query ID is invalid');
	}
	const text = params.string('text');
	if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
	query.answered = true;
	query.answer = {
		show_alert: params.bool('show_alert'),
		cache_time: params.int('cache_time') ?? 0,
		...(text !== undefined ? { text } : {}),
		...(params.string('url') ? { url: params.string('url') } : {}),
	};
	return true;
};

export const getFile: MethodHandler = ({ bot, params }): TgFile => {
	const fileId = params.string('file_id') ?? '';
	if (fileId === '') throw badRequest('file_id is empty');
	const file = bot.files.get(fileId);
	if (!file) throw badRequest('invalid file_id');
	if (file.data.length > maxFileDownloadBytes) throw badRequest('file is too big');
	return {
		file_id: file.file_id,
		file_unique_id: file.file_unique_id,
		file_size: file.data.length,
		file_path: file.file_path,
	};
};
