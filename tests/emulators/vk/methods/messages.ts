import { z } from 'zod';
import { VkApiError } from '../errors.ts';
import type { MethodContext, MethodTable } from '../method-context.ts';
import { intParam } from '../params.ts';
import { type JsonObject, toJson } from '../types.ts';
import { messagesSend } from './messages-send.ts';

/** `event_data` of messages.sendMessageEventAnswer: one of the three documented actions. */
const eventData = z.discriminatedUnion('type', [
	z.object({ type: z.literal('show_snackbar'), text: z.string().max(90) }),
	z.object({ type: z.literal('open_link'), link: z.string() }),
	z.looseObject({ type: z.literal('open_app'), app_id: z.number() }),
]);

function peerOf(ctx: MethodContext): number {
	const peerId = intParam(ctx.params, 'peer_id') ?? intParam(ctx.params, 'user_id');
	if (peerId === undefined) throw new VkApiError(100, 'peer_id is undefined');
	return peerId;
}

function page(ctx: MethodContext): { offset: number; count: number } {
	const count = intParam(ctx.params, 'count') ?? 20;
	if (count < 0 || count > 200) throw new VkApiError(100, 'count is invalid');
	return { offset: intParam(ctx.params, 'offset') ?? 0, count };
}

export const messagesMethods: MethodTable = {
	'messages.send': messagesSend,

	'messages.sendMessageEventAnswer': (ctx) => {
		const eventId = ctx.params.event_id;
		if (!eventId) throw new VkApiError(100, 'event_id is undefined');
		const userId = intParam(ctx.params, 'user_id', true);
		const peerId = intParam(ctx.params, 'peer_id', true);
		const pending = ctx.community.pendingEvents.get(eventId);
		if (!pending || pending.user_id !== userId || pending.peer_id !== peerId) {
			throw new VkApiError(100, 'event_id is invalid');
		}
		let data: JsonObject | undefined;
		if (ctx.params.event_data !== undefined) {
			if (ctx.params.event_data.length > 1000) throw new VkApiError(100, 'event_data is too long');
			let parsed: unknown;
			try {
				parsed = JSON.parse(ctx.params.event_data);
			} catch {
				throw new VkApiError(100, 'event_data is invalid');
			}
			if (!eventData.safeParse(parsed).success) throw new VkApiError(100, 'event_data is invalid');
			data = parsed as JsonObject;
		}
		ctx.community.pendingEvents.delete(eventId);
		ctx.community.eventAnswers.push({
			event_id: eventId,
			user_id: userId,
			peer_id: peerId,
			...(data ? { event_data: data } : {}),
		});
		return 1;
	},

	'messages.getHistory': (ctx) => {
		const peerId = peerOf(ctx);
		const { offset, count } = page(ctx);
		const all = ctx.state.history(ctx.community.id, peerId);
		// rev=0 (default): newest first; rev=1: chronological.
		const ordered = ctx.params.rev === '1' ? all : [...all].reverse();
		return { count: all.length, items: ordered.slice(offset, offset + count).map(toJson) };
	},

	'messages.getConversations': (ctx) => {
		const { offset, count } = page(ctx);
		const lastByPeer = new Map<number, (typeof ctx.community.messages)[number]>();
		for (const message of ctx.community.messages) lastByPeer.set(message.peer_id, message);
		const conversations = [...lastByPeer.values()]
			.sort((a, b) => b.id - a.id)
			.map((last) => ({
				conversation: {
					peer: { id: last.peer_id, type: 'user', local_id: last.peer_id },
					last_message_id: last.id,
					last_conversation_message_id: last.conversation_message_id,
					in_read: last.id,
					out_read: last.id,
					can_write: { allowed: ctx.community.permissions.get(last.peer_id) === true },
				},
				last_message: toJson(last),
			}));
		return { count: conversations.length, items: conversations.slice(offset, offset + count) };
	},
};
