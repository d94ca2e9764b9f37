import { describe, expect, it } from 'vitest';
import { maxIntake } from '../../../../connector-server/src/channels/max/intake.ts';
import { parseMaxUpdate } from '../../../../connector-server/src/channels/max/parse-update.ts';
import { TelegramApiError } from '../../../../connector-server/src/channels/telegram/bot-api.ts';
import { parseTelegramUpdate } from '../../../../connector-server/src/channels/telegram/parse-update.ts';
import { toDeliveryError } from '../../../../connector-server/src/channels/telegram/send-errors.ts';
import { splitText } from '../../../../connector-server/src/core/conversations/split-text.ts';
import { RecipientUnreachableError } from '../../../../connector-server/src/core/ports/channel-client.ts';
import type { TransientDeliveryError } from '../../../../connector-server/src/core/ports/outbound.ts';

const context = { tenantId: 't', connectionId: 'c', receivedAt: 1_795_000_000_000, settings: { botId: 9 } };
const from = { id: 100, is_bot: false, first_name: 'Ann' };

describe('Telegram updates', () => {
	it('takes a /start deep-link payload as a link token', () => {
		const [batch] = parseTelegramUpdate(
			{
				update_id: 1,
				message: {
					message_id: 1,
					date: 1,
					chat: { id: 100, type: 'private' },
					from,
					text: '/start tok_EN-123456789012',
				},
			},
			context,
		);
		expect(batch!.events[0]!.linkToken).toBe('tok_EN-123456789012');
		const [plain] = parseTelegramUpdate(
			{
				update_id: 2,
				message: { message_id: 2, date: 1, chat: { id: 100, type: 'private' }, from, text: 'start please' },
			},
			context,
		);
		expect(plain!.events[0]!.linkToken).toBeUndefined();
	});

	it('accepts a shared phone only when the contact is the sender’s own', () => {
		const parse = (userId?: number) =>
			parseTelegramUpdate(
				{
					update_id: 3,
					message: {
						message_id: 3,
						date: 1,
						chat: { id: 100, type: 'private' },
						from,
						contact: {
							phone_number: '+79990001122',
							first_name: 'X',
							...(userId ? { user_id: userId } : {}),
						},
					},
				},
				context,
			)[0]!;
		const contact = (userId?: number) => parse(userId).identifiers.map((i) => i.type);
		expect(contact(100)).toEqual(['telegram', 'phone']);
		expect(contact(200)).toEqual(['telegram']);
		expect(contact()).toEqual(['telegram']);
		// Reactors hear of the proven phone (an order claim waiting for it); of no other.
		expect(parse(100).events[0]!.sharedPhone).toBe('+79990001122');
		expect(parse(200).events[0]!.sharedPhone).toBeUndefined();
		expect(parse().events[0]!.sharedPhone).toBeUndefined();
	});

	it('maps Bot API errors: 429 waits retry_after for the whole bot, 403 is unreachable', () => {
		const limited = toDeliveryError(
			new TelegramApiError(429, 'Too Many Requests: retry after 7', 7),
		) as TransientDeliveryError;
		expect(limited.retryAfterMs).toBe(7_000);
		expect(limited.throttleAll).toBe(true);
		expect(
			toDeliveryError(new TelegramApiError(403, 'Forbidden: bot was blocked by the user', undefined)),
		).toBeInstanceOf(RecipientUnreachableError);
	});
});

describe('MAX updates', () => {
	const user = {
		user_id: 77,
		first_name: 'Ilya',
		last_name: null,
		username: null,
		is_bot: false,
		last_activity_time: 1,
		name: 'Ilya',
	};
	it('turns bot_started with a payload into an unblock carrying the link token; bot_stopped blocks', () => {
		const started = parseMaxUpdate(
			{
				update_type: 'bot_started',
				timestamp: 1_795_000_000_000,
				chat_id: 501,
				user,
				payload: 'AbCdEfGhIjKlMnOpQr',
			},
			context,
		);
		expect(started[0]!.events[0]).toMatchObject({
			type: 'channel.unblocked',
			linkToken: 'AbCdEfGhIjKlMnOpQr',
			sourceKey: 'max:9:bot_started:77:1795000000000',
			data: { chatId: '501' },
		});
		const stopped = parseMaxUpdate({ update_type: 'bot_stopped', timestamp: 2, chat_id: 501, user }, context);
		expect(stopped[0]!.events[0]!.type).toBe('channel.blocked');
	});

	it('parses message_created with its mid as the dedupe key, and skips unknown types', () => {
		const update = {
			update_type: 'message_created',
			timestamp: 5,
			message: {
				sender: user,
				recipient: { chat_id: 501, chat_type: 'dialog', user_id: 9 },
				timestamp: 5,
				body: {
					mid: 'mid.abc',
					seq: 1,
					text: 'привет',
					attachments: [{ type: 'image', payload: { url: 'https://i/1.jpg' } }],
				},
			},
		};
		const [batch] = parseMaxUpdate(update, context);
		expect(batch!.events[0]).toMatchObject({
			sourceKey: 'max:9:message:mid.abc',
			data: { chatId: '501', text: 'привет' },
		});
		expect(batch!.events[0]!.data).toMatchObject({
			attachments: [{ kind: 'photo', ref: 'https://i/1.jpg' }],
		});
		expect(
			maxIntake.sourceKey(update, {
				connectionId: 'c',
				tenantId: 't',
				webhookSecret: null,
				settings: { botId: 9 },
			}),
		).toBe('max:9:message:mid.abc');
		expect(parseMaxUpdate({ update_type: 'dialog_muted', timestamp: 1 }, context)).toEqual([]);
	});
});

describe('splitText', () => {
	it('keeps short texts whole and splits long ones at paragraph, line or word boundaries', () => {
		expect(splitText('short', 10)).toEqual(['short']);
		expect(splitText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
		expect(splitText('aaaaaaa\n\nbbbbbbb', 12)).toEqual(['aaaaaaa', 'bbbbbbb']);
		expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
	});

	it('never cuts an emoji in half', () => {
		const parts = splitText(`${'a'.repeat(9)}😀b`, 10);
		expect(parts).toEqual(['a'.repeat(9), '😀b']);
	});
});
