import { type MessagingChannel, MessagingChannelSchema } from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Clock } from '../clock.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { ChannelClient } from '../ports/channel-client.ts';
import { type OutboxHandler, type OutboxJobInput, PermanentDeliveryError } from '../ports/outbound.ts';
import { createConnectionCache } from './connection-cache.ts';

export const ACK_JOB_KIND = 'button.ack';

const AckPayloadSchema = z.object({
	channel: MessagingChannelSchema,
	connectionId: z.string().min(1),
	chatId: z.string().min(1),
	externalId: z.string().min(1),
});
type AckPayload = z.infer<typeof AckPayloadSchema>;

type Clients = Readonly<Partial<Record<MessagingChannel, ChannelClient>>>;

/**
 * A pressed button is answered through the outbox (stored with the press, in its transaction), so
 * the user's client stops its spinner. One answer per press: the dedupe key is the press's id.
 * Few attempts: platforms forget a press within seconds, after which an answer is pointless.
 */
export const createButtonAckReactor =
	(clients: Clients): EventReactor =>
	async (stored) => {
		const jobs: OutboxJobInput[] = [];
		for (const { event } of stored) {
			if (event.type !== 'message.in') continue;
			const data = event.data as {
				buttonData?: string;
				connectionId?: string;
				chatId?: string;
				externalId?: string;
			};
			const channel = MessagingChannelSchema.safeParse(event.channel);
			if (data.buttonData === undefined || !data.connectionId || !data.chatId || !data.externalId) continue;
			if (!channel.success || !clients[channel.data]?.acknowledge) continue;
			jobs.push({
				kind: ACK_JOB_KIND,
				// Its own target: an answer never waits behind replies queued for the chat.
				target: `ack:${channel.data}:${data.connectionId}:${data.chatId}`,
				dedupeKey: `ack:${channel.data}:${data.connectionId}:${data.externalId}`,
				maxAttempts: 3,
				payload: {
					channel: channel.data,
					connectionId: data.connectionId,
					chatId: data.chatId,
					externalId: data.externalId,
				} satisfies AckPayload,
			});
		}
		return jobs;
	};

/** Sends the answer; it counts against the same platform ceilings as a message. */
export function createButtonAckHandler(deps: {
	db: Db;
	box: SecretBox;
	clock: Clock;
	clients: Clients;
}): OutboxHandler<AckPayload> {
	const connection = createConnectionCache(deps);
	return {
		parse: (payload) => AckPayloadSchema.parse(payload),
		limits: (payload) =>
			deps.clients[payload.channel]?.capabilities.sendLimits(payload.connectionId, payload.chatId) ?? [],
		async deliver(payload, job) {
			const client = deps.clients[payload.channel];
			if (!client?.acknowledge)
				throw new PermanentDeliveryError(`${payload.channel} answers no button presses`);
			const target = await connection(job.tenantId, payload.connectionId);
			if (target.status !== 'active') throw new PermanentDeliveryError('the connection was disconnected');
			await client.acknowledge({ externalId: payload.externalId, chatId: payload.chatId }, target);
		},
	};
}
