import { MessagingChannelSchema } from '@nitka/shared';
import { z } from 'zod';
import { PermanentDeliveryError } from '../../core/ports/outbound.ts';
import type { Bitrix24RestClient } from './rest-client.ts';
import { CONNECTOR_ID } from './setup.ts';

/** Our external chat id in the open line: the messenger chat replies must go back to. */
export const chatKey = (channel: string, connectionId: string, chatId: string) =>
	`${channel}:${connectionId}:${chatId}`;

export function parseChatKey(key: string) {
	const [channel, connectionId, ...rest] = key.split(':');
	const parsed = MessagingChannelSchema.safeParse(channel);
	if (!parsed.success || !connectionId || rest.length === 0) return null;
	return { channel: parsed.data, connectionId, chatId: rest.join(':') };
}

/** The CRM tracker's IM value for an open-line chat (research §5.5): binds the chat to our contact. */
export const imolOf = (line: string, key: string) => `imol|${CONNECTOR_ID}|${line}|${key}|${key}`;

const SendResultSchema = z.object({
	SUCCESS: z.boolean(),
	DATA: z.object({
		RESULT: z.array(z.object({ SUCCESS: z.boolean(), ERRORS: z.array(z.unknown()).optional() })),
	}),
});

/** imconnector.send.messages for one customer message (research §5.2). */
export async function sendToOpenLine(
	client: Bitrix24RestClient,
	input: { line: string; key: string; name: string; externalId: string; at: number; text: string },
): Promise<void> {
	const result = await client.call(
		'imconnector.send.messages',
		{
			CONNECTOR: CONNECTOR_ID,
			LINE: input.line,
			MESSAGES: [
				{
					user: { id: input.key, ...(input.name ? { name: input.name } : {}) },
					message: { id: input.externalId, date: Math.floor(input.at / 1000), text: input.text },
					chat: { id: input.key },
				},
			],
		},
		SendResultSchema,
	);
	const first = result.DATA.RESULT[0];
	if (!first?.SUCCESS)
		throw new PermanentDeliveryError(`open line refused the message: ${JSON.stringify(first?.ERRORS ?? [])}`);
}

/** imconnector.send.status.delivery: `message.id` must be an array (research §8.8). */
export async function confirmDelivery(
	client: Bitrix24RestClient,
	input: { line: number; imChatId: number; imMessageId: number; key: string; externalId: string; at: number },
): Promise<void> {
	await client.call(
		'imconnector.send.status.delivery',
		{
			CONNECTOR: CONNECTOR_ID,
			LINE: input.line,
			MESSAGES: [
				{
					im: { chat_id: input.imChatId, message_id: input.imMessageId },
					message: { id: [input.externalId], date: Math.floor(input.at / 1000) },
					chat: { id: input.key },
				},
			],
		},
		z.unknown(),
	);
}

/** BB-code signature and tags off: the customer's messenger shows plain text. */
export const plainText = (text: string) =>
	text
		.replace(/\[br\]/gi, '\n')
		.replace(/\[\/?[a-z]+(?:=[^\]]*)?\]/gi, '')
		.replace(/[ \t]+\n/g, '\n')
		.trim();
