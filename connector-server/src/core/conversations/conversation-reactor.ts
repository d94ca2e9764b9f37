import { MessagingChannelSchema } from '@nitka/shared';
import type { Clock } from '../clock.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { recordInbound, recordReply, setChatReachable, upsertChat } from './conversation-repository.ts';

/**
 * Keeps conversations in step with inbound events: a message (re)opens the customer's
 * conversation and makes its chat the default reply route; block/unblock flip the chat's
 * reachability. Runs in the ingest transaction, after the link reactor (so merges are seen).
 * Times are when Nitka received the event: platform dates have one-second resolution, too coarse
 * to tell which chat the customer used last.
 */
export const createConversationReactor =
	(clock: Clock): EventReactor =>
	async (stored, tx) => {
		const at = clock.now();
		for (const { tenantId, customerId, event } of stored) {
			const channel = MessagingChannelSchema.safeParse(event.channel);
			if (!channel.success) continue;
			const data = event.data as { connectionId?: string; chatId?: string };
			if (!data.connectionId || !data.chatId) continue;
			if (event.type === 'message.in') {
				await recordInbound(tx, {
					tenantId,
					customerId,
					channel: channel.data,
					connectionId: data.connectionId,
					chatId: data.chatId,
					at,
				});
			} else if (
				event.type === 'message.out' &&
				(event.data as { origin?: string }).origin === channel.data
			) {
				// Staff answered inside the platform (VK community messages): a response like any other.
				await recordReply(tx, tenantId, customerId, at);
			} else if (event.type === 'channel.unblocked') {
				// Unblocking (or MAX's Start button) opens the chat for replies, even before a first message.
				await upsertChat(tx, {
					tenantId,
					customerId,
					channel: channel.data,
					connectionId: data.connectionId,
					chatId: data.chatId,
					at,
					reachable: true,
				});
			} else if (event.type === 'channel.blocked') {
				await setChatReachable(tx, tenantId, data.connectionId, data.chatId, false, at);
			}
		}
		return [];
	};
