import { z } from 'zod';
import {
	type ChannelClient,
	type ConnectedChannel,
	InvalidCredentialsError,
	isLinkButton,
	type OutboundButton,
} from '../../core/ports/channel-client.ts';
import { createBotApi } from './bot-api.ts';
import { startTelegramPoller, TELEGRAM_ALLOWED_UPDATES } from './poller.ts';
import { toConnectError, toDeliveryError } from './send-errors.ts';

const MeSchema = z.looseObject({
	id: z.number().int(),
	username: z.string().optional(),
	first_name: z.string(),
});
const SentSchema = z.looseObject({ message_id: z.number().int() });
const FileSchema = z.looseObject({ file_id: z.string(), file_path: z.string().optional() });

/** An InlineKeyboardButton: `url` opens the link, `callback_data` comes back as a callback_query. */
export function telegramButton(button: OutboundButton): {
	text: string;
	url?: string;
	callback_data?: string;
} {
	return isLinkButton(button)
		? { text: button.text, url: button.url }
		: { text: button.text, callback_data: button.data };
}

const CommandsSchema = z.array(z.looseObject({ command: z.string(), description: z.string() }));

/** The commands Nitka answers, per language (BotCommand: 1-32 chars of a-z0-9_, description 1-256). */
export const TELEGRAM_COMMANDS: Record<'default' | 'ru', { command: string; description: string }[]> = {
	default: [
		{ command: 'catalog', description: 'Catalog: order for pickup in store' },
		{ command: 'promo', description: 'My promo code' },
		{ command: 'return', description: 'Return goods or complain about an order' },
		{ command: 'card', description: 'My loyalty card (QR for the shop counter)' },
	],
	ru: [
		{ command: 'catalog', description: 'Каталог: заказать с самовывозом из магазина' },
		{ command: 'promo', description: 'Мой промокод' },
		{ command: 'return', description: 'Вернуть товар или пожаловаться на заказ' },
		{ command: 'card', description: 'Моя карта покупателя (QR для кассы)' },
	],
};

/**
 * Adds Nitka's commands to the bot's menu (setMyCommands, default and `ru`), keeping any the shop
 * set itself (`/catalog`, `/promo`, `/return` for the journeys, `/card`). Best effort, per language: a bot
 * whose menu cannot be changed still connects, and the commands are answered anyway.
 */
async function registerCommands(client: ReturnType<typeof createBotApi>): Promise<void> {
	for (const [language, ours] of Object.entries(TELEGRAM_COMMANDS)) {
		const scope = language === 'default' ? {} : { language_code: language };
		try {
			const current = await client.call('getMyCommands', scope, CommandsSchema);
			const missing = ours.filter((c) => !current.some((existing) => existing.command === c.command));
			if (missing.length === 0) continue;
			// The shop's own commands stay first; ours fill what room Telegram's 100 leave.
			const commands = [
				...current.map((c) => ({ command: c.command, description: c.description })),
				...missing,
			].slice(0, 100);
			if (commands.length === current.length) continue;
			await client.call('setMyCommands', { ...scope, commands }, z.boolean());
		} catch {
			// The menu is a convenience; the command itself needs no registration.
		}
	}
}

const tokenOf = (connection: ConnectedChannel): string => {
	const token = connection.credentials.token;
	if (!token) throw new Error('connection has no bot token');
	return token;
};

/** Telegram Bot API behind the ChannelClient port. `apiRoot` points at the platform (or an emulator). */
export function createTelegramClient(apiRoot = 'https://api.telegram.org'): ChannelClient {
	const api = (connection: ConnectedChannel) => createBotApi(apiRoot, tokenOf(connection));
	return {
		channel: 'telegram',
		capabilities: {
			maxTextLength: 4096,
			sendLimits(connectionId, chatId) {
				// Bots FAQ: ~30 messages/s per bot, 1/s per chat, 20/min per group (negative chat ids).
				const group = chatId.startsWith('-');
				return [
					{ key: `telegram:bot:${connectionId}`, capacity: 30, perSecond: 30 },
					{
						key: `telegram:chat:${connectionId}:${chatId}`,
						capacity: 1,
						perSecond: group ? 20 / 60 : 1,
					},
				];
			},
			deepLink: (token, settings) =>
				typeof settings.username === 'string' ? `https://t.me/${settings.username}?start=${token}` : null,
			// Groups and channels have negative ids; a private chat's id is the user's.
			privateChat: (chatId) => !chatId.startsWith('-'),
			// A request_contact keyboard; the parser takes a contact as proven only when it is the sender's.
			requestContact: true,
		},
		async prepare({ credentials }) {
			const token = credentials.token ?? '';
			if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(token))
				throw new InvalidCredentialsError('not a bot token (<bot id>:<secret>)');
			const me = await createBotApi(apiRoot, token)
				.call('getMe', {}, MeSchema)
				.catch((error: unknown) => {
					throw toConnectError(error);
				});
			return {
				name: me.username ? `@${me.username}` : me.first_name,
				settings: { botId: me.id, username: me.username ?? null },
			};
		},
		async activate(connection, webhookUrl) {
			await registerCommands(api(connection));
			if (webhookUrl) {
				await api(connection).call(
					'setWebhook',
					{
						url: webhookUrl,
						secret_token: connection.webhookSecret,
						allowed_updates: TELEGRAM_ALLOWED_UPDATES,
					},
					z.boolean(),
				);
				return { webhookUrl };
			}
			// getUpdates refuses to work while a webhook is set (e.g. left over from another install).
			await api(connection).call('deleteWebhook', {}, z.boolean());
			return {};
		},
		async deactivate(connection) {
			await api(connection).call('deleteWebhook', {}, z.boolean());
		},
		poll: (connection, sink, cursor, onError) => startTelegramPoller(api(connection), sink, cursor, onError),
		async send(message, connection) {
			try {
				const sent = await api(connection).call(
					'sendMessage',
					{
						chat_id: message.chatId,
						text: message.text,
						...(message.buttons?.length
							? {
									reply_markup: {
										inline_keyboard: [message.buttons.map(telegramButton)],
									},
								}
							: message.contactRequest
								? {
										// Its press sends the user's own contact (contact.user_id = from.id).
										reply_markup: {
											keyboard: [[{ text: message.contactRequest.text, request_contact: true }]],
											one_time_keyboard: true,
											resize_keyboard: true,
										},
									}
								: {}),
					},
					SentSchema,
				);
				return { externalId: String(sent.message_id) };
			} catch (error) {
				throw toDeliveryError(error);
			}
		},
		async acknowledge(press, connection) {
			if (!press.externalId.startsWith('callback:')) return;
			try {
				await api(connection).call(
					'answerCallbackQuery',
					{ callback_query_id: press.externalId.slice('callback:'.length) },
					z.boolean(),
				);
			} catch (error) {
				throw toDeliveryError(error);
			}
		},
		async fetchMedia(ref, connection) {
			const client = api(connection);
			const file = await client.call('getFile', { file_id: ref }, FileSchema);
			if (!file.file_path) throw new Error('Telegram gave no file_path (file too big for the Bot API)');
			const downloaded = await client.download(file.file_path);
			return { ...downloaded, fileName: file.file_path.split('/').pop() ?? 'file' };
		},
	};
}
