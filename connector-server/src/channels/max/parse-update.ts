import type { Attachment } from '@nitka/shared';
import type { InboundBatch, InboundContext, InboundEvent } from '../../core/ports/inbound.ts';
import { maxSourceKey } from './source-key.ts';
import { type MaxAttachment, type MaxMessage, MaxUpdateSchema } from './update-schema.ts';

const KINDS: Record<string, Attachment['kind']> = {
	image: 'photo',
	file: 'document',
	audio: 'voice',
	video: 'video',
	sticker: 'sticker',
};
const LINK_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

function attachmentsOf(list: MaxAttachment[]): Attachment[] {
	return list.flatMap((a): Attachment[] => {
		const kind = KINDS[a.type];
		const ref = a.payload?.url ?? a.payload?.token ?? a.payload?.code;
		if (!kind || !ref) return [];
		return [
			{
				kind,
				ref,
				...(a.filename ? { fileName: a.filename } : {}),
				...(a.size !== undefined ? { size: a.size } : {}),
			},
		];
	});
}

function identify(user: {
	user_id: number;
	name?: string | null | undefined;
	first_name?: string | undefined;
	last_name?: string | null | undefined;
}) {
	const name = (user.name ?? [user.first_name, user.last_name].filter(Boolean).join(' ')).trim();
	return {
		identifiers: [{ type: 'max' as const, value: String(user.user_id), verified: true }],
		...(name ? { profile: { name, source: 'messenger' as const } } : {}),
	};
}

function chatOf(message: MaxMessage, fallback: number): string {
	return String(message.recipient.chat_id ?? fallback);
}

/** Turns one MAX update into timeline events; types Nitka does not show produce nothing. */
export function parseMaxUpdate(payload: unknown, context: InboundContext): InboundBatch[] {
	const bot = String(context.settings.botId ?? context.connectionId ?? 'bot');
	const parsed = MaxUpdateSchema.safeParse(payload);
	if (!parsed.success) {
		// Unknown update types are not errors; a known type with a bad shape is.
		const known = ['message_created', 'message_edited', 'message_callback', 'bot_started', 'bot_stopped'];
		const type = (payload as { update_type?: unknown } | null)?.update_type;
		if (typeof type === 'string' && !known.includes(type)) return [];
		throw parsed.error;
	}
	const update = parsed.data;
	const sourceKey = maxSourceKey(payload, bot) ?? '';
	const connectionId = context.connectionId ?? '';
	const base = { channel: 'max' as const, sourceKey, occurredAt: update.timestamp };
	switch (update.update_type) {
		case 'message_created':
		case 'message_edited': {
			const message = update.message;
			if (!message.sender || message.sender.is_bot) return [];
			const edited = update.update_type === 'message_edited';
			const list = message.body.attachments ?? [];
			const location = list.find(
				(a) => a.type === 'location' && a.latitude !== undefined && a.longitude !== undefined,
			);
			const event: InboundEvent<'message.in'> = {
				...base,
				type: 'message.in',
				data: {
					channel: 'max',
					connectionId,
					chatId: chatOf(message, message.sender.user_id),
					externalId: edited ? `${message.body.mid}:edit:${update.timestamp}` : message.body.mid,
					...(message.body.text ? { text: message.body.text } : {}),
					attachments: attachmentsOf(list),
					...(location ? { location: { latitude: location.latitude!, longitude: location.longitude! } } : {}),
					...(edited ? { editOf: message.body.mid } : {}),
				},
			};
			return [{ ...identify(message.sender), events: [event] }];
		}
		case 'message_callback': {
			const { callback } = update;
			return [
				{
					...identify(callback.user),
					events: [
						{
							...base,
							type: 'message.in',
							data: {
								channel: 'max',
								connectionId,
								chatId: update.message
									? chatOf(update.message, callback.user.user_id)
									: String(callback.user.user_id),
								externalId: `callback:${callback.callback_id}`,
								...(callback.payload ? { buttonData: callback.payload.slice(0, 1000) } : {}),
								attachments: [],
							},
						},
					],
				},
			];
		}
		case 'bot_started':
		case 'bot_stopped': {
			const started = update.update_type === 'bot_started';
			const event: InboundEvent = {
				...base,
				type: started ? 'channel.unblocked' : 'channel.blocked',
				data: { channel: 'max', connectionId, chatId: String(update.chat_id) },
			};
			// `max.ru/<bot>?start=<token>` arrives as bot_started.payload.
			const payloadToken = 'payload' in update ? update.payload : undefined;
			if (typeof payloadToken === 'string' && LINK_TOKEN.test(payloadToken)) event.linkToken = payloadToken;
			return [{ ...identify(update.user), events: [event] }];
		}
	}
}
