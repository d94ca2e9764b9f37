import { randomUUID } from 'node:crypto';
import type { MessagingChannel, ReplyRequest } from '@nitka/shared';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Clock } from '../clock.ts';
import type { InboxWriter } from '../inbox/inbox-writer.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { linkReactor } from '../links/link-reactor.ts';
import { createOrderLinkReactor } from '../links/order-link-reactor.ts';
import type { ChannelAdapter } from '../ports/channel.ts';
import type { ChannelClient } from '../ports/channel-client.ts';
import type { OutboxHandler } from '../ports/outbound.ts';
import { ACK_JOB_KIND, createButtonAckHandler, createButtonAckReactor } from './button-acks.ts';
import { type ConnectionDeps, connectChannel, disconnectChannel } from './channel-connections.ts';
import { ChannelPollers } from './channel-pollers.ts';
import { createConversationReactor } from './conversation-reactor.ts';
import { sendReply } from './reply-service.ts';
import { createSendHandler, SEND_JOB_KIND } from './send-handler.ts';

export interface ChannelRuntimeOptions {
	db: Db;
	box: SecretBox;
	clock: Clock;
	logger: Logger;
	clients: Readonly<Partial<Record<MessagingChannel, ChannelClient>>>;
	adapters: Readonly<Partial<Record<string, ChannelAdapter>>>;
	publicUrl: string | undefined;
	/** This process's name in poller leases (the outbox's worker id); random when not given. */
	workerId?: string;
	pollerLeaseTtlMs?: number;
}

/**
 * Everything the messaging channels add to the server, built once by the composition root:
 * reactors for the ingest transaction, the send handler for the outbox, pollers, and the
 * services the HTTP routes call. The core sees channels only through the ChannelClient port.
 */
export function createChannelRuntime(options: ChannelRuntimeOptions) {
	let inbox: InboxWriter | undefined;
	const pollers = new ChannelPollers({
		...options,
		owner: options.workerId ?? `pollers-${randomUUID()}`,
		...(options.pollerLeaseTtlMs ? { leaseTtlMs: options.pollerLeaseTtlMs } : {}),
		inbox: () => {
			if (!inbox) throw new Error('channel runtime used before attachInbox()');
			return inbox;
		},
	});
	const deps: ConnectionDeps = { ...options, pollers };
	// The link reactor first: a deep link may merge the customer the conversation is then kept for.
	const reactors: EventReactor[] = [
		linkReactor,
		createOrderLinkReactor(options.clock, {
			requestsContact: (channel) => options.clients[channel]?.capabilities.requestContact === true,
			privateChat: (channel, chatId) => options.clients[channel]?.capabilities.privateChat?.(chatId) ?? true,
		}),
		createConversationReactor(options.clock),
		createButtonAckReactor(options.clients),
	];
	const outboxHandlers: Record<string, OutboxHandler> = {
		[SEND_JOB_KIND]: createSendHandler(options) as OutboxHandler,
		[ACK_JOB_KIND]: createButtonAckHandler(options) as OutboxHandler,
	};
	return {
		clients: options.clients,
		reactors,
		outboxHandlers,
		attachInbox(writer: InboxWriter) {
			inbox = writer;
		},
		connect: (input: Parameters<typeof connectChannel>[1]) => connectChannel(deps, input),
		disconnect: (tenantId: string, connectionId: string) => disconnectChannel(deps, tenantId, connectionId),
		reply: (tenantId: string, customerId: string, request: ReplyRequest) =>
			sendReply(options.db, options.clients, { tenantId, customerId, request }, options.clock.now()),
		start: () => pollers.startAll(),
		stop: () => pollers.stopAll(),
	};
}

export type ChannelRuntime = ReturnType<typeof createChannelRuntime>;
