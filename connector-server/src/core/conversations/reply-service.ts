import type { MessagingChannel, ReplyRequest, ReplyResult } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import { ConflictError } from '../errors.ts';
import { appendEvent } from '../events/event-store.ts';
import { rootOf } from '../identity/identity-graph.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { ChannelClient } from '../ports/channel-client.ts';
import { chatsOf, recordReply } from './conversation-repository.ts';
import { SEND_JOB_KIND, type SendJobPayload } from './send-handler.ts';
import { splitText } from './split-text.ts';

/**
 * Sends an operator's reply: picks the chat (the one the customer last wrote from, unless a
 * channel or connection is named), refuses unreachable chats and echoes into the reply's own
 * origin (loop guard), then appends `message.out` and enqueues one send job per platform-sized
 * part — all in one transaction, so the timeline and the outbox never disagree.
 */
export async function sendReply(
	db: Db,
	clients: Readonly<Partial<Record<MessagingChannel, ChannelClient>>>,
	input: { tenantId: string; customerId: string; request: ReplyRequest },
	at: number,
): Promise<ReplyResult> {
	const { tenantId, request } = input;
	return await db.transaction().execute(async (tx) => {
		const root = await rootOf(tx, tenantId, input.customerId);
		const active = new Set(
			(
				await tx
					.selectFrom('connections')
					.select('id')
					.where('tenant_id', '=', tenantId)
					.where('status', '=', 'active')
					.execute()
			).map((row) => row.id),
		);
		const chats = (await chatsOf(tx, tenantId, root)).filter(
			(chat) =>
				active.has(chat.connection_id) &&
				(!request.channel || chat.channel === request.channel) &&
				(!request.connectionId || chat.connection_id === request.connectionId),
		);
		const chat = chats[0];
		if (!chat) {
			throw new ConflictError(
				request.channel
					? `the customer has no ${request.channel} chat with a connected bot`
					: 'the customer has not written from any connected messenger',
			);
		}
		const channel = chat.channel as MessagingChannel;
		if (request.origin === channel) {
			throw new ConflictError(`loop guard: a message from ${channel} is never sent back into ${channel}`);
		}
		if (chat.reachable !== 1) {
			throw new ConflictError(`the customer blocked the ${channel} bot or denied its messages`);
		}
		const client = clients[channel];
		if (!client) throw new ConflictError(`no client for ${channel}`);
		const replyId = request.idempotencyKey ? `key:${request.idempotencyKey}` : newId(at);
		const eventId = await appendEvent(tx, {
			tenantId,
			customerId: root,
			type: 'message.out',
			channel,
			occurredAt: at,
			recordedAt: at,
			sourceKey: `nitka:reply:${replyId}`,
			data: {
				channel,
				connectionId: chat.connection_id,
				chatId: chat.chat_id,
				text: request.text,
				attachments: [],
				...(request.author ? { author: request.author } : {}),
				...(request.origin ? { origin: request.origin } : {}),
			},
		});
		const parts = splitText(request.text, client.capabilities.maxTextLength);
		// A retried API call with the same idempotency key stores nothing and sends nothing again.
		if (eventId) {
			const target = `${channel}:${chat.connection_id}:${chat.chat_id}`;
			await enqueueJobs(
				tx,
				tenantId,
				parts.map((text, part) => ({
					kind: SEND_JOB_KIND,
					target,
					dedupeKey: `reply:${replyId}:${part}`,
					payload: {
						channel,
						connectionId: chat.connection_id,
						chatId: chat.chat_id,
						text,
						replyId,
						part,
					} satisfies SendJobPayload,
				})),
				at,
			);
			await recordReply(tx, tenantId, root, at);
		}
		return {
			replyId,
			eventId,
			channel,
			connectionId: chat.connection_id,
			chatId: chat.chat_id,
			parts: parts.length,
		};
	});
}
