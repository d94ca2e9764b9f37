import type { MessagingChannel } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { appendEvent } from '../events/event-store.ts';
import type { DataButton, OutboundButton } from '../ports/channel-client.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import { SEND_JOB_KIND, type SendJobPayload } from './send-handler.ts';

/**
 * A message Nitka itself writes into a chat (a question with buttons, a confirmation): on the
 * timeline as `message.out` by "bot", and one send job. `key` makes it once-only: a second call
 * with the same key stores nothing and returns no job.
 */
export async function botMessage(
	tx: Db,
	input: {
		tenantId: string;
		customerId: string;
		channel: MessagingChannel;
		connectionId: string;
		chatId: string;
		text: string;
		buttons?: OutboundButton[];
		/** Kept under the input field where the platform can (VK); see OutboundMessage.menu. */
		menu?: DataButton[];
		/** Asks for the customer's own phone where the platform can (OutboundMessage.contactRequest). */
		contactRequest?: { text: string };
		key: string;
		at: number;
	},
): Promise<OutboxJobInput[]> {
	const { channel, connectionId, chatId, at } = input;
	const eventId = await appendEvent(tx, {
		tenantId: input.tenantId,
		customerId: input.customerId,
		type: 'message.out',
		channel,
		occurredAt: at,
		recordedAt: at,
		sourceKey: `nitka:bot:${input.key}`,
		data: { channel, connectionId, chatId, text: input.text, attachments: [], author: 'bot' },
	});
	if (!eventId) return [];
	const payload: SendJobPayload = {
		channel,
		connectionId,
		chatId,
		text: input.text,
		replyId: `bot:${input.key}`,
		part: 0,
		...(input.buttons ? { buttons: input.buttons } : {}),
		...(input.menu ? { menu: input.menu } : {}),
		...(input.contactRequest ? { contactRequest: input.contactRequest } : {}),
	};
	return [
		{
			kind: SEND_JOB_KIND,
			target: `${channel}:${connectionId}:${chatId}`,
			dedupeKey: `bot:${input.key}:0`,
			payload,
		},
	];
}
