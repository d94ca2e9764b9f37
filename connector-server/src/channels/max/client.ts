import { z } from 'zod';
import {
	type ChannelClient,
	type ConnectedChannel,
	InvalidCredentialsError,
	isLinkButton,
	type OutboundButton,
} from '../../core/ports/channel-client.ts';
import { createMaxApi } from './max-api.ts';
import { MAX_UPDATE_TYPES, startMaxPoller } from './poller.ts';
import { toConnectError, toDeliveryError } from './send-errors.ts';

const MeSchema = z.looseObject({
	user_id: z.number().int(),
	name: z.string().nullable().optional(),
	username: z.string().nullable().optional(),
});
const SuccessSchema = z.looseObject({ success: z.boolean().optional() });
const SentSchema = z.looseObject({ message: z.looseObject({ body: z.looseObject({ mid: z.string() }) }) });

/** An inline_keyboard button: `link` opens the URL, `callback` comes back as message_callback. */
export function maxButton(button: OutboundButton): {
	type: 'link' | 'callback';
	text: string;
	url?: string;
	payload?: string;
} {
	return isLinkButton(button)
		? { type: 'link', text: button.text, url: button.url }
		: { type: 'callback', text: button.text, payload: button.data };
}

const CommandsSchema = z.looseObject({
	commands: z
		.array(z.looseObject({ name: z.string(), description: z.string().nullable().optional() }))
		.nullable()
		.optional(),
});

/** The commands Nitka answers, shown in the bot's menu (BotCommand: name, description). */
export const MAX_COMMANDS = [
	{ name: 'catalog', description: 'Каталог: заказать с самовывозом из магазина' },
	{ name: 'promo', description: 'Мой промокод' },
	{ name: 'return', description: 'Вернуть товар или пожаловаться на заказ' },
	{ name: 'card', description: 'Моя карта покупателя (QR для кассы)' },
];

/**
 * Adds Nitka's commands to the bot's menu (`PATCH /me` with `commands`), keeping the shop's own.
 * Best effort: `/catalog`, `/promo`, `/return` and `/card` are answered whether or not the menu shows them.
 */
async function registerCommands(client: ReturnType<typeof createMaxApi>): Promise<void> {
	try {
		const me = await client.call('GET', '/me', {}, undefined, CommandsSchema);
		const current = (me.commands ?? []).map((c) => ({
			name: c.name,
			...(c.description ? { description: c.description } : {}),
		}));
		const missing = MAX_COMMANDS.filter((c) => !current.some((existing) => existing.name === c.name));
		// The shop's own commands stay first; ours fill what room MAX's 32 leave.
		const commands = [...current, ...missing].slice(0, 32);
		if (missing.length === 0 || commands.length === current.length) return;
		await client.call('PATCH', '/me', {}, { commands }, z.unknown());
	} catch {
		// The menu is a convenience.
	}
}

const tokenOf = (connection: ConnectedChannel): string => {
	const token = connection.credentials.token;
	if (!token) throw new Error('connection has no MAX token');
	return token;
};

/** The MAX bot API behind the ChannelClient port. */
export function createMaxClient(baseUrl = 'https://platform-api2.max.ru'): ChannelClient {
	const api = (connection: ConnectedChannel) => createMaxApi(baseUrl, tokenOf(connection));
	return {
		channel: 'max',
		capabilities: {
			maxTextLength: 4000,
			// 30 requests/s per bot for every call; the poller's requests share it, so sends keep 5 spare.
			sendLimits: (connectionId) => [{ key: `max:bot:${connectionId}`, capacity: 25, perSecond: 25 }],
			deepLink: (token, settings) =>
				typeof settings.username === 'string' ? `https://max.ru/${settings.username}?start=${token}` : null,
		},
		async prepare({ credentials }) {
			if (!credentials.token) throw new InvalidCredentialsError('a MAX bot token is required');
			try {
				const me = await createMaxApi(baseUrl, credentials.token).call('GET', '/me', {}, undefined, MeSchema);
				return {
					name: me.username ? `@${me.username}` : (me.name ?? `MAX bot ${me.user_id}`),
					settings: { botId: me.user_id, username: me.username ?? null },
				};
			} catch (error) {
				throw toConnectError(error);
			}
		},
		async activate(connection, webhookUrl) {
			await registerCommands(api(connection));
			if (!webhookUrl) return {};
			await api(connection).call(
				'POST',
				'/subscriptions',
				{},
				{ url: webhookUrl, update_types: MAX_UPDATE_TYPES, secret: connection.webhookSecret ?? undefined },
				SuccessSchema,
			);
			return { webhookUrl };
		},
		async deactivate(connection) {
			const url = connection.settings.webhookUrl;
			if (typeof url === 'string')
				await api(connection).call('DELETE', '/subscriptions', { url }, undefined, SuccessSchema);
		},
		poll: (connection, sink, cursor, onError) => startMaxPoller(api(connection), sink, cursor, onError),
		async send(message, connection) {
			try {
				const sent = await api(connection).call(
					'POST',
					'/messages',
					{ chat_id: message.chatId },
					{
						text: message.text,
						...(message.buttons?.length
							? {
									attachments: [
										{
											type: 'inline_keyboard',
											payload: {
												buttons: [message.buttons.map(maxButton)],
											},
										},
									],
								}
							: {}),
					},
					SentSchema,
				);
				return { externalId: sent.message.body.mid };
			} catch (error) {
				throw toDeliveryError(error);
			}
		},
		async acknowledge(press, connection) {
			if (!press.externalId.startsWith('callback:')) return;
			try {
				// An answer without a message or notification just tells the client the press was taken.
				await api(connection).call(
					'POST',
					'/answers',
					{ callback_id: press.externalId.slice('callback:'.length) },
					{},
					SuccessSchema,
				);
			} catch (error) {
				throw toDeliveryError(error);
			}
		},
	};
}
