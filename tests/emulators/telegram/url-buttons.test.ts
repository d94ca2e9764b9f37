import { Api, GrammyError, InlineKeyboard } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.ts';

// InlineKeyboardButton.url: "HTTP or tg:// URL to be opened when the button is pressed"; exactly one
// action per button. A URL button reports nothing to the bot. grammY's own builder, unmodified.
describe('inline URL buttons (InlineKeyboardButton.url)', () => {
	let emulator: TelegramEmulator;
	let api: Api;
	beforeEach(async () => {
		emulator = await startTelegramEmulator();
		api = new Api(emulator.token, { apiRoot: emulator.url });
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('sends InlineKeyboard().url(); the message carries it and opening it produces no update', async () => {
		const anna = emulator.user({ id: 601, first_name: 'Anna' });
		anna.sendText('hi');
		const before = emulator.bot().updates.pending.length;
		const keyboard = new InlineKeyboard().url('Открыть карту', 'https://shop.example/card/nc1.x.y');
		const sent = await api.sendMessage(601, 'Your card', { reply_markup: keyboard });
		expect(sent.reply_markup).toEqual({
			inline_keyboard: [[{ text: 'Открыть карту', url: 'https://shop.example/card/nc1.x.y' }]],
		});
		expect(anna.openUrlButton(sent.message_id, 'Открыть карту')).toBe('https://shop.example/card/nc1.x.y');
		expect(emulator.bot().updates.pending.length).toBe(before);
		expect(() => anna.openUrlButton(sent.message_id, 'Other')).toThrow(/no URL button/);
	});

	it('accepts tg:// links and mixed rows of URL and callback buttons', async () => {
		emulator.user({ id: 602, first_name: 'Boris' }).sendText('hi');
		const keyboard = new InlineKeyboard().url('Profile', 'tg://user?id=602').text('Yes', 'yes');
		await expect(api.sendMessage(602, 'x', { reply_markup: keyboard })).resolves.toMatchObject({
			reply_markup: { inline_keyboard: [[{ url: 'tg://user?id=602' }, { callback_data: 'yes' }]] },
		});
	});

	it.each([
		['not a URL', 'card please'],
		['another scheme', 'ftp://shop.example/card'],
		['no host', 'https://'],
	])('refuses %s with BUTTON_URL_INVALID', async (_what, url) => {
		emulator.user({ id: 603, first_name: 'Vera' }).sendText('hi');
		const error = await api
			.sendMessage(603, 'x', { reply_markup: { inline_keyboard: [[{ text: 'Go', url }]] } })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(GrammyError);
		expect(error).toMatchObject({ error_code: 400, description: 'Bad Request: BUTTON_URL_INVALID' });
	});

	it('refuses a button with two actions', async () => {
		emulator.user({ id: 604, first_name: 'Gleb' }).sendText('hi');
		const error = await api
			.sendMessage(604, 'x', {
				reply_markup: {
					inline_keyboard: [[{ text: 'Go', url: 'https://a.example', callback_data: 'x' } as never]],
				},
			})
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ error_code: 400 });
	});

	it('setMyCommands stores commands per language; getMyCommands reads them back', async () => {
		await api.setMyCommands([{ command: 'card', description: 'My loyalty card' }]);
		await api.setMyCommands([{ command: 'card', description: 'Моя карта' }], { language_code: 'ru' });
		expect(await api.getMyCommands()).toEqual([{ command: 'card', description: 'My loyalty card' }]);
		expect(await api.getMyCommands({ language_code: 'ru' })).toEqual([
			{ command: 'card', description: 'Моя карта' },
		]);
		await expect(api.setMyCommands([{ command: 'Card!', description: 'x' }])).rejects.toMatchObject({
			description: 'Bad Request: BOT_COMMAND_INVALID',
		});
	});
});
