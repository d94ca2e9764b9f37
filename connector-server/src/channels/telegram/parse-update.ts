import type { Attachment, IdentifierInput } from '@nitka/shared';
import type { InboundBatch, InboundContext, InboundEvent } from '../../core/ports/inbound.ts';
import { type TelegramMessage, type TelegramUpdate, TelegramUpdateSchema } from './update-schema.ts';

type TelegramUser = NonNullable<TelegramMessage['from']>;

const START_PAYLOAD = /^\/start(?:@\w+)? ([A-Za-z0-9_-]{1,64})$/;

function botKey(context: InboundContext): string {
	return String(context.settings.botId ?? context.connectionId ?? 'bot');
}

function attachmentsOf(message: TelegramMessage): Attachment[] {
	const out: Attachment[] = [];
	const largest = message.photo?.at(-1);
	if (largest)
		out.push({ kind: 'photo', ref: largest.file_id, size: largest.file_size, caption: message.caption });
	const file = (
		kind: Attachment['kind'],
		f:
			| {
					file_id: string;
					mime_type?: string | undefined;
					file_name?: string | undefined;
					file_size?: number | undefined;
			  }
			| undefined,
	) => {
		if (f)
			out.push({
				kind,
				ref: f.file_id,
				mimeType: f.mime_type,
				fileName: f.file_name,
				size: f.file_size,
				caption: message.caption,
			});
	};
	file('document', message.document);
	file('voice', message.voice);
	file('video', message.video);
	file('audio', message.audio);
	if (message.sticker)
		out.push({ kind: 'sticker', ref: message.sticker.file_id, caption: message.sticker.emoji });
	return out;
}

function identify(
	user: TelegramUser,
	message?: TelegramMessage,
): Pick<InboundBatch, 'identifiers' | 'profile'> {
	const identifiers: IdentifierInput[] = [{ type: 'telegram', value: String(user.id), verified: true }];
	// A shared contact proves a phone only when it is the sender's own (contact.user_id = from.id).
	const contact = message?.contact;
	if (contact && contact.user_id === user.id)
		identifiers.push({ type: 'phone', value: contact.phone_number, verified: true });
	const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
	return { identifiers, ...(name ? { profile: { name, source: 'messenger' as const } } : {}) };
}

/**
 * Turns one Telegram update into timeline events. Updates Nitka does not show (channel posts,
 * polls…) produce nothing; a malformed update throws (zod) and goes to quarantine.
 */
export function parseTelegramUpdate(payload: unknown, context: InboundContext): InboundBatch[] {
	const update: TelegramUpdate = TelegramUpdateSchema.parse(payload);
	const bot = botKey(context);
	const sourceKey = `telegram:${bot}:${update.update_id}`;
	const connectionId = context.connectionId ?? '';
	const message = update.message ?? update.edited_message;
	if (message?.from && !message.from.is_bot) {
		const event: InboundEvent<'message.in'> = {
			type: 'message.in',
			channel: 'telegram',
			occurredAt: (message.edit_date ?? message.date) * 1000,
			sourceKey,
			data: {
				channel: 'telegram',
				connectionId,
				chatId: String(message.chat.id),
				externalId: update.edited_message
					? `${message.message_id}:edit:${message.edit_date ?? update.update_id}`
					: String(message.message_id),
				text:
					message.text ??
					message.caption ??
					(message.contact ? `${message.contact.first_name} ${message.contact.phone_number}` : undefined),
				attachments: attachmentsOf(message),
				...(message.location
					? { location: { latitude: message.location.latitude, longitude: message.location.longitude } }
					: {}),
				...(update.edited_message ? { editOf: String(message.message_id) } : {}),
			},
		};
		// A deep link `t.me/<bot>?start=<token>` arrives as `/start <token>`.
		const start = update.message?.text ? START_PAYLOAD.exec(update.message.text) : null;
		if (start?.[1]) event.linkToken = start[1];
		// The phone of a contact the sender shared as their own (a request_contact button's answer).
		if (message.contact && message.contact.user_id === message.from.id && !update.edited_message)
			event.sharedPhone = message.contact.phone_number;
		return [{ ...identify(message.from, message), events: [event] }];
	}
	if (update.callback_query) {
		const query = update.callback_query;
		return [
			{
				...identify(query.from),
				events: [
					{
						type: 'message.in',
						channel: 'telegram',
						occurredAt: context.receivedAt,
						sourceKey,
						data: {
							channel: 'telegram',
							connectionId,
							chatId: String(query.message?.chat.id ?? query.from.id),
							externalId: `callback:${query.id}`,
							buttonData: query.data,
							attachments: [],
						},
					},
				],
			},
		];
	}
	if (update.my_chat_member && update.my_chat_member.chat.type === 'private') {
		const change = update.my_chat_member;
		const blocked = change.new_chat_member.status === 'kicked';
		const unblocked =
			change.old_chat_member.status === 'kicked' && change.new_chat_member.status === 'member';
		if (!blocked && !unblocked) return [];
		return [
			{
				...identify(change.from),
				events: [
					{
						type: blocked ? 'channel.blocked' : 'channel.unblocked',
						channel: 'telegram',
						occurredAt: change.date * 1000,
						sourceKey,
						data: { channel: 'telegram', connectionId, chatId: String(change.chat.id) },
					},
				],
			},
		];
	}
	return [];
}
