import { parseAttachmentParam } from '../attachments.ts';
import { VkApiError } from '../errors.ts';
import { parseKeyboard } from '../keyboard.ts';
import type { MethodContext } from '../method-context.ts';
import { intListParam, intParam } from '../params.ts';
import type { Community } from '../state.ts';
import { type Json, type JsonObject, toJson, type VkMessage } from '../types.ts';

/** Peer ids of group chats start here (`2000000000 + chat_id`). */
const CHAT_PEER_BASE = 2_000_000_000;
/** `peer_ids` takes at most 100 recipients (channels.md §3.2, schema `maxItems`). */
const MAX_PEER_IDS = 100;

interface Draft {
	text: string;
	attachments: JsonObject[];
	keyboard?: JsonObject;
	payload?: string;
	randomId: number;
}

function readDraft(ctx: MethodContext): Draft {
	// random_id is mandatory since 5.90; VK rejects a send without it.
	const randomId = intParam(ctx.params, 'random_id');
	if (randomId === undefined) throw new VkApiError(100, 'random_id is a required parameter');
	const text = ctx.params.message ?? '';
	const attachments = ctx.params.attachment ? parseAttachmentParam(ctx.params.attachment) : [];
	const stickerId = intParam(ctx.params, 'sticker_id');
	if (stickerId !== undefined) attachments.push({ type: 'sticker', sticker: { sticker_id: stickerId } });
	if (text === '' && attachments.length === 0 && ctx.params.forward_messages === undefined) {
		throw new VkApiError(100, 'message is empty or invalid');
	}
	if (text.length > ctx.options.maxMessageLength) throw new VkApiError(914);
	const payload = ctx.params.payload;
	if (payload !== undefined && payload.length > 1000) throw new VkApiError(100, 'payload is too long');
	return {
		text,
		attachments,
		...(ctx.params.keyboard ? { keyboard: parseKeyboard(ctx.params.keyboard) } : {}),
		...(payload === undefined ? {} : { payload }),
		randomId,
	};
}

function singlePeer(ctx: MethodContext): number {
	const peerId = intParam(ctx.params, 'peer_id') ?? intParam(ctx.params, 'user_id');
	if (peerId !== undefined) return peerId;
	const chatId = intParam(ctx.params, 'chat_id');
	if (chatId !== undefined) return CHAT_PEER_BASE + chatId;
	const domain = ctx.params.domain;
	if (domain) {
		const id = Number(/^id(\d+)$/.exec(domain)?.[1]);
		if (ctx.state.users.has(id)) return id;
		throw new VkApiError(100, 'domain is invalid');
	}
	throw new VkApiError(100, 'peer_id is undefined');
}

/** Sends to one peer; a repeated random_id returns the first message's id without sending again. */
function sendTo(ctx: MethodContext, community: Community, peerId: number, draft: Draft): VkMessage {
	if (peerId >= CHAT_PEER_BASE) throw new VkApiError(917);
	if (peerId <= 0 || !ctx.state.users.has(peerId)) throw new VkApiError(100, 'peer_id is invalid');
	const now = ctx.options.clock.now();
	const key = `${peerId}:${draft.randomId}`;
	// random_id 0 is what clients send when they want no deduplication (vk-io's old default).
	if (draft.randomId !== 0) {
		const seen = community.randomIds.get(key);
		if (seen && now - seen.at < ctx.options.randomIdWindowMs) {
			const original = community.messages.find((m) => m.id === seen.messageId);
			if (original) return original;
		}
	}
	if (community.permissions.get(peerId) !== true) throw new VkApiError(901);
	const message = ctx.state.storeMessage(community, {
		date: Math.floor(now / 1000),
		peer_id: peerId,
		from_id: -community.id,
		text: draft.text,
		out: 1,
		attachments: draft.attachments,
		fwd_messages: [],
		important: false,
		is_hidden: false,
		random_id: draft.randomId,
		...(draft.keyboard ? { keyboard: draft.keyboard } : {}),
		...(draft.payload === undefined ? {} : { payload: draft.payload }),
	});
	if (draft.randomId !== 0) community.randomIds.set(key, { messageId: message.id, at: now });
	// VK reports the community's own outgoing messages as message_reply.
	ctx.events.emit(community, 'message_reply', toJson(message));
	return message;
}

/** messages.send: an integer id, or with `peer_ids` an array of per-peer results (§3.3). */
export function messagesSend(ctx: MethodContext): Json {
	const community = ctx.community;
	const peerIds = intListParam(ctx.params, 'peer_ids');
	if (peerIds === undefined) {
		const peerId = singlePeer(ctx);
		return sendTo(ctx, community, peerId, readDraft(ctx)).id;
	}
	if (peerIds.length > MAX_PEER_IDS) throw new VkApiError(100, 'peer_ids is too long');
	const draft = readDraft(ctx);
	return peerIds.map((peerId): JsonObject => {
		try {
			const message = sendTo(ctx, community, peerId, draft);
			return {
				peer_id: peerId,
				message_id: message.id,
				conversation_message_id: message.conversation_message_id,
			};
		} catch (error) {
			if (!(error instanceof VkApiError)) throw error;
			return { peer_id: peerId, error: { code: error.code, description: error.message } };
		}
	});
}
