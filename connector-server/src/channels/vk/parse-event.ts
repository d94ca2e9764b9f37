import type { Attachment } from '@nitka/shared';
import type { InboundBatch, InboundContext, InboundEvent } from '../../core/ports/inbound.ts';
import { vkButtonData } from './button-payload.ts';
import {
	MessageAllowObjectSchema,
	MessageDenyObjectSchema,
	MessageEventObjectSchema,
	MessageNewObjectSchema,
	type VkAttachment,
	VkEnvelopeSchema,
	type VkMessage,
	VkMessageSchema,
} from './event-schema.ts';

const LINK_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
/** Peer ids of group chats start here; Nitka keeps one-to-one conversations only. */
const CHAT_PEER_BASE = 2_000_000_000;

/** VK's own attachment string (`photo<owner>_<id>_<key>`): the ref the media proxy resolves. */
function refOf(
	type: string,
	media: { owner_id: number; id: number; access_key?: string | undefined },
): string {
	return `${type}${media.owner_id}_${media.id}${media.access_key ? `_${media.access_key}` : ''}`;
}

/** A URL fits a ref (≤ 1000 chars); a longer one falls back to VK's attachment string. */
const fits = (url: string | undefined) => (url && url.length <= 1000 ? url : undefined);

/** The largest size of a photo (VK lists sizes in no promised order). */
function largestUrl(sizes: { url?: string | undefined; width?: number | undefined }[] | undefined) {
	return fits(
		[...(sizes ?? [])].filter((s) => s.url).sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0]?.url,
	);
}

/**
 * Media refs are the download URLs VK puts in the message object (what the media proxy fetches);
 * VK's own attachment string stands in where it gives none (videos, stickers).
 */
function attachmentsOf(message: VkMessage): Attachment[] {
	return message.attachments.flatMap((a: VkAttachment): Attachment[] => {
		if (a.photo)
			return [
				{
					kind: 'photo',
					ref: largestUrl(a.photo.sizes) ?? refOf('photo', a.photo),
					mimeType: 'image/jpeg',
					...(a.photo.text ? { caption: a.photo.text } : {}),
				},
			];
		if (a.doc)
			return [
				{
					kind: 'document',
					ref: fits(a.doc.url) ?? refOf('doc', a.doc),
					...(a.doc.title ? { fileName: a.doc.title } : {}),
					...(a.doc.size !== undefined ? { size: a.doc.size } : {}),
				},
			];
		if (a.audio_message)
			return [
				{
					kind: 'voice',
					ref: fits(a.audio_message.link_ogg) ?? refOf('audio_message', a.audio_message),
					mimeType: 'audio/ogg',
				},
			];
		if (a.video) return [{ kind: 'video', ref: refOf('video', a.video) }];
		if (a.sticker) return [{ kind: 'sticker', ref: `sticker${a.sticker.sticker_id}` }];
		return [];
	});
}

const userIds = (id: number) => [{ type: 'vk' as const, value: String(id), verified: true }];

/**
 * Turns one VK event (Callback API or Bots Long Poll; same envelope) into timeline events. The
 * community's own messages arrive as `message_reply` and become `message.out`.
 */
export function parseVkEvent(payload: unknown, context: InboundContext): InboundBatch[] {
	const envelope = VkEnvelopeSchema.parse(payload);
	const group = String(context.settings.groupId ?? envelope.group_id);
	const sourceKey = `vk:${group}:${envelope.event_id ?? ''}`;
	const connectionId = context.connectionId ?? '';
	const base = { channel: 'vk' as const, occurredAt: context.receivedAt, sourceKey };
	switch (envelope.type) {
		case 'message_new':
		case 'message_edit': {
			const message =
				envelope.type === 'message_new'
					? MessageNewObjectSchema.parse(envelope.object).message
					: VkMessageSchema.parse(envelope.object);
			if (message.out === 1 || message.from_id <= 0) return [];
			const edited = envelope.type === 'message_edit';
			const event: InboundEvent<'message.in'> = {
				...base,
				type: 'message.in',
				occurredAt: (edited ? (message.update_time ?? message.date) : message.date) * 1000,
				data: {
					channel: 'vk',
					connectionId,
					chatId: String(message.peer_id),
					externalId: edited
						? `${message.id}:edit:${message.update_time ?? message.date}`
						: String(message.id),
					...(message.text ? { text: message.text } : {}),
					attachments: attachmentsOf(message),
					...(message.geo
						? {
								location: {
									latitude: message.geo.coordinates.latitude,
									longitude: message.geo.coordinates.longitude,
								},
							}
						: {}),
					...(edited ? { editOf: String(message.id) } : {}),
					...(message.payload ? { buttonData: vkButtonData(message.payload) } : {}),
				},
			};
			// A link `vk.me/<club>?ref=<token>` puts the token on the message the customer then sends.
			if (!edited && message.ref && LINK_TOKEN.test(message.ref)) event.linkToken = message.ref;
			return [{ identifiers: userIds(message.from_id), events: [event] }];
		}
		case 'message_event': {
			const pressed = MessageEventObjectSchema.parse(envelope.object);
			return [
				{
					identifiers: userIds(pressed.user_id),
					events: [
						{
							...base,
							type: 'message.in',
							data: {
								channel: 'vk',
								connectionId,
								chatId: String(pressed.peer_id),
								// The user id rides along: answering the press needs it (sendMessageEventAnswer).
								externalId: `event:${pressed.event_id}:${pressed.user_id}`,
								buttonData: vkButtonData(pressed.payload),
								attachments: [],
							},
						},
					],
				},
			];
		}
		case 'message_reply': {
			// Staff answering in VK itself: the community's message, on the customer's timeline. VK
			// reports Nitka's own sends too; those are keyed by random_id and deduplicated at intake.
			const message = VkMessageSchema.parse(envelope.object);
			if (message.peer_id <= 0 || message.peer_id >= CHAT_PEER_BASE) return [];
			const event: InboundEvent<'message.out'> = {
				...base,
				type: 'message.out',
				occurredAt: message.date * 1000,
				data: {
					channel: 'vk',
					connectionId,
					chatId: String(message.peer_id),
					externalId: String(message.id),
					...(message.text ? { text: message.text } : {}),
					attachments: attachmentsOf(message),
					author: 'community',
					// Written in VK: never echoed back there (loop guard).
					origin: 'vk',
				},
			};
			return [{ identifiers: userIds(message.peer_id), events: [event] }];
		}
		case 'message_allow':
		case 'message_deny': {
			const allowed = envelope.type === 'message_allow';
			const object = allowed
				? MessageAllowObjectSchema.parse(envelope.object)
				: MessageDenyObjectSchema.parse(envelope.object);
			const event: InboundEvent<'channel.unblocked' | 'channel.blocked'> = {
				...base,
				type: allowed ? 'channel.unblocked' : 'channel.blocked',
				data: { channel: 'vk', connectionId, chatId: String(object.user_id) },
			};
			// The allow widget's `key` can carry a link token too.
			const key = 'key' in object ? object.key : undefined;
			if (typeof key === 'string' && LINK_TOKEN.test(key)) event.linkToken = key;
			return [{ identifiers: userIds(object.user_id), events: [event as InboundEvent] }];
		}
		default:
			return [];
	}
}
