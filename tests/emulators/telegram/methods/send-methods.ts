import { parseFormattedText } from '../entities.ts';
import { badRequest, TelegramApiError } from '../errors.ts';
import type { UploadedPart } from '../multipart.ts';
import { readReplyMarkup } from '../reply-markup.ts';
import type { StoredFile } from '../state.ts';
import type { TgDocument, TgMessage, TgPhotoSize } from '../types.ts';
import type { MethodContext, MethodHandler } from './context.ts';
import { chargeLimits, postMessage, targetChat } from './outgoing.ts';

const maxTextLength = 4096;
const maxCaptionLength = 1024;
const maxUploadBytes = 50 * 1024 * 1024;

/** Text and its entities after parse_mode, with the Bot API's length rules. */
function readText(context: MethodContext, field: 'text' | 'caption') {
	const source = context.params.string(field) ?? '';
	const parsed = parseFormattedText(source, context.params.string('parse_mode'));
	if (field === 'text' && parsed.text.length === 0) throw badRequest('message text is empty');
	if (field === 'text' && parsed.text.length > maxTextLength) throw badRequest('message is too long');
	if (field === 'caption' && parsed.text.length > maxCaptionLength)
		throw badRequest('message caption is too long');
	return parsed;
}

export const sendMessage: MethodHandler = (context) => {
	const record = targetChat(context);
	const { text, entities } = readText(context, 'text');
	const markup = readReplyMarkup(context.params);
	chargeLimits(context, record);
	return postMessage(
		context,
		record,
		'sendMessage',
		{ text, ...(entities.length ? { entities } : {}) },
		markup,
	);
};

const mimeByExtension: Record<string, string> = {
	pdf: 'application/pdf',
	txt: 'text/plain',
	csv: 'text/csv',
	json: 'application/json',
	zip: 'application/zip',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const extensionOf = (name: string): string => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? 'dat';

/**
 * An InputFile: an upload (stored as a new file), a known file_id, or an HTTP URL (recorded, never
 * fetched: the emulator has no network).
 */
function readInputFile(
	context: MethodContext,
	field: 'photo' | 'document',
): { file: StoredFile; fresh: boolean } {
	const input = context.params.file(field);
	if (input === undefined) throw badRequest(`there is no ${field} in the request`);
	const { bot } = context;
	if (typeof input !== 'string') return { file: storeUpload(context, input, field), fresh: true };
	const known = bot.files.get(input);
	if (known) return { file: known, fresh: false };
	if (/^https?:\/\//.test(input)) {
		const name = decodeURIComponent(new URL(input).pathname.split('/').pop() ?? '') || `${field}.dat`;
		const ext = extensionOf(name);
		const folder = field === 'photo' ? 'photos' : 'documents';
		const file = bot.storeFile(
			Buffer.alloc(0),
			folder,
			ext,
			mimeByExtension[ext] ?? 'application/octet-stream',
			name,
		);
		file.source_url = input;
		return { file, fresh: true };
	}
	throw badRequest('wrong file identifier/HTTP URL specified');
}

function storeUpload(context: MethodContext, upload: UploadedPart, field: 'photo' | 'document'): StoredFile {
	if (upload.data.length > maxUploadBytes) throw new TelegramApiError(413, 'Request Entity Too Large');
	if (upload.data.length === 0) throw badRequest(`file must be non-empty`);
	const ext = extensionOf(upload.filename);
	// Telegram guesses the type from the name; clients like grammY send application/octet-stream.
	const mime =
		upload.contentType === 'application/octet-stream'
			? (mimeByExtension[ext] ?? upload.contentType)
			: upload.contentType;
	return field === 'photo'
		? context.bot.storeFile(upload.data, 'photos', 'jpg', 'image/jpeg')
		: context.bot.storeFile(upload.data, 'documents', ext, mime, upload.filename);
}

/**
 * Photo sizes: Telegram re-encodes and returns several sizes. The emulator does not decode images, so
 * it reports a thumbnail and the original with nominal dimensions.
 */
function photoSizes(context: MethodContext, file: StoredFile): TgPhotoSize[] {
	const thumb = context.bot.storeFile(file.data, 'photos', 'jpg', 'image/jpeg');
	return [
		{
			file_id: thumb.file_id,
			file_unique_id: thumb.file_unique_id,
			file_size: thumb.data.length,
			width: 90,
			height: 67,
		},
		{
			file_id: file.file_id,
			file_unique_id: file.file_unique_id,
			file_size: file.data.length,
			width: 1280,
			height: 960,
		},
	];
}

function captioned(context: MethodContext): Pick<TgMessage, 'caption' | 'caption_entities'> {
	const { text, entities } = readText(context, 'caption');
	return { ...(text ? { caption: text } : {}), ...(entities.length ? { caption_entities: entities } : {}) };
}

export const sendPhoto: MethodHandler = (context) => {
	const record = targetChat(context);
	const caption = captioned(context);
	const markup = readReplyMarkup(context.params);
	const { file } = readInputFile(context, 'photo');
	chargeLimits(context, record);
	return postMessage(context, record, 'sendPhoto', { photo: photoSizes(context, file), ...caption }, markup);
};

export const sendDocument: MethodHandler = (context) => {
	const record = targetChat(context);
	const caption = captioned(context);
	const markup = readReplyMarkup(context.params);
	const { file } = readInputFile(context, 'document');
	chargeLimits(context, record);
	const document: TgDocument = {
		file_id: file.file_id,
		file_unique_id: file.file_unique_id,
		mime_type: file.mime_type,
		file_size: file.data.length,
		...(file.file_name ? { file_name: file.file_name } : {}),
	};
	return postMessage(context, record, 'sendDocument', { document, ...caption }, markup);
};
