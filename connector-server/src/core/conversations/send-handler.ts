import { type MessagingChannel, MessagingChannelSchema } from '@nitka/shared';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../clock.ts';
import { appendEvent } from '../events/event-store.ts';
import { type ChannelClient, RecipientUnreachableError } from '../ports/channel-client.ts';
import { type OutboxHandler, PermanentDeliveryError } from '../ports/outbound.ts';
import { createConnectionCache } from './connection-cache.ts';
import { setChatReachable } from './conversation-repository.ts';

export const SEND_JOB_KIND = 'message.send';

const SendJobPayloadSchema = z.object({
	channel: MessagingChannelSchema,
	connectionId: z.string().min(1),
	chatId: z.string().min(1),
	text: z.string().min(1),
	replyId: z.string().min(1),
	part: z.number().int().nonnegative(),
	buttons: z
		.array(
			z.union([
				z.object({ text: z.string().min(1).max(64), data: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/) }),
				// A link button: an absolute http(s) URL (MAX caps it at 2048 chars).
				z.object({
					text: z.string().min(1).max(64),
					url: z
						.string()
						.max(2048)
						.regex(/^https?:\/\/[^\s]+$/),
				}),
			]),
		)
		.max(8)
		.optional(),
	menu: z
		.array(z.object({ text: z.string().min(1).max(40), data: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/) }))
		.max(4)
		.optional(),
	/** Asks for the customer's own phone (Telegram request_contact); see OutboundMessage.contactRequest. */
	contactRequest: z.object({ text: z.string().min(1).max(64) }).optional(),
});
export type SendJobPayload = z.infer<typeof SendJobPayloadSchema>;

/**
 * The outbox handler that sends one reply part through its channel's client. Limits come from the
 * channel's capabilities; a recipient who refuses messages marks the chat unreachable (with a
 * `channel.blocked` event) and parks the job: no retry can deliver it.
 */
export function createSendHandler(deps: {
	db: Db;
	box: SecretBox;
	clock: Clock;
	logger: Logger;
	clients: Readonly<Partial<Record<MessagingChannel, ChannelClient>>>;
}): OutboxHandler<SendJobPayload> {
	const connection = createConnectionCache(deps);

	return {
		parse: (payload) => SendJobPayloadSchema.parse(payload),
		limits(payload) {
			return (
				deps.clients[payload.channel]?.capabilities.sendLimits(payload.connectionId, payload.chatId) ?? []
			);
		},
		async deliver(payload, job) {
			const client = deps.clients[payload.channel];
			if (!client) throw new PermanentDeliveryError(`no client for ${payload.channel}`);
			const target = await connection(job.tenantId, payload.connectionId);
			if (target.status !== 'active') throw new PermanentDeliveryError('the connection was disconnected');
			const echoKey = client.echoSourceKey?.(target, job);
			if (echoKey) await claimEcho(job.tenantId, payload, echoKey);
			try {
				await client.send(
					{
						chatId: payload.chatId,
						text: payload.text,
						...(payload.buttons ? { buttons: payload.buttons } : {}),
						...(payload.menu ? { menu: payload.menu } : {}),
						...(payload.contactRequest ? { contactRequest: payload.contactRequest } : {}),
					},
					target,
					job,
				);
			} catch (error) {
				if (error instanceof RecipientUnreachableError) await markUnreachable(payload, job.tenantId, job.id);
				throw error;
			}
		},
	};

	/**
	 * Stores the key of the platform's report of this send as an already handled inbox item, before
	 * sending (the report can arrive before the send call returns): the report is then a duplicate.
	 */
	async function claimEcho(tenantId: string, payload: SendJobPayload, sourceKey: string) {
		const at = deps.clock.now();
		await deps.db
			.insertInto('inbox')
			.values({
				id: newId(at),
				tenant_id: tenantId,
				connection_id: payload.connectionId,
				source: payload.channel,
				source_key: sourceKey,
				payload: JSON.stringify({ nitka: 'sent', replyId: payload.replyId, part: payload.part }),
				headers: '{}',
				received_at: at,
				status: 'processed',
				attempts: 0,
				error: null,
				processed_at: at,
			})
			.onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
			.execute();
	}

	async function markUnreachable(payload: SendJobPayload, tenantId: string, jobId: string) {
		const at = deps.clock.now();
		await deps.db.transaction().execute(async (tx) => {
			const chat = await tx
				.selectFrom('conversation_chats')
				.select('customer_id')
				.where('tenant_id', '=', tenantId)
				.where('connection_id', '=', payload.connectionId)
				.where('chat_id', '=', payload.chatId)
				.executeTakeFirst();
			await setChatReachable(tx, tenantId, payload.connectionId, payload.chatId, false, at);
			if (!chat) return;
			await appendEvent(tx, {
				tenantId,
				customerId: chat.customer_id,
				type: 'channel.blocked',
				channel: payload.channel,
				occurredAt: at,
				recordedAt: at,
				sourceKey: `nitka:unreachable:${jobId}`,
				data: { channel: payload.channel, connectionId: payload.connectionId, chatId: payload.chatId },
			});
		});
		deps.logger.info(
			{ channel: payload.channel, connection: payload.connectionId },
			'recipient refuses messages; chat marked unreachable',
		);
	}
}
