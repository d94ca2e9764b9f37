import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator, type TgUpdate } from './index.ts';

describe('Telegram user-play helpers produce documented Update shapes', () => {
	let emulator: TelegramEmulator;
	let api: Api;
	const profile = { id: 3001, first_name: 'Ирина', username: 'irina', language_code: 'ru' };
	beforeEach(async () => {
		emulator = await startTelegramEmulator();
		api = new Api(emulator.token, { apiRoot: emulator.url });
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('text message: from, chat (private), date (§1.3)', () => {
		const update = emulator.user(profile).sendText('Здравствуйте');
		expect(update).toEqual({
			update_id: expect.any(Number),
			message: {
				message_id: 1,
				from: { id: 3001, is_bot: false, first_name: 'Ирина', username: 'irina', language_code: 'ru' },
				chat: { id: 3001, type: 'private', first_name: 'Ирина', username: 'irina' },
				date: expect.any(Number),
				text: 'Здравствуйте',
			},
		});
	});

	it('/start <payload> deep link with a bot_command entity; payload rules from §1.6', () => {
		const user = emulator.user(profile);
		const update = user.start('c_9f3K-x_1');
		expect(update?.message).toMatchObject({
			text: '/start c_9f3K-x_1',
			entities: [{ type: 'bot_command', offset: 0, length: 6 }],
		});
		expect(/^\/start ([a-zA-Z0-9_-]{1,64})$/.exec(update!.message!.text!)?.[1]).toBe('c_9f3K-x_1');
		expect(() => user.start('x'.repeat(65))).toThrow(RangeError);
		expect(() => user.start('has space')).toThrow(RangeError);
	});

	it('own contact via request_contact: contact.user_id === from.id; someone else’s differs (§1.6)', () => {
		const user = emulator.user(profile);
		const own = user.shareOwnContact('+79001234567')!.message!;
		expect(own.contact).toEqual({ phone_number: '+79001234567', first_name: 'Ирина', user_id: 3001 });
		expect(own.contact?.user_id).toBe(own.from?.id);
		const other = user.sendContact({ phone_number: '+79007654321', first_name: 'Олег', user_id: 4242 })!
			.message!;
		expect(other.contact?.user_id).not.toBe(other.from?.id);
	});

	it('photo, document, voice, sticker and location messages; their files download', async () => {
		const user = emulator.user(profile);
		const photo = user.sendPhoto({ data: Buffer.from('jpeg-bytes'), caption: 'чек' })!.message!;
		expect(photo.photo).toHaveLength(2);
		expect(photo.caption).toBe('чек');
		const doc = user.sendDocument({ data: Buffer.from('pdf'), fileName: 'act.pdf' })!.message!;
		expect(doc.document).toMatchObject({ file_name: 'act.pdf', mime_type: 'application/pdf', file_size: 3 });
		expect(user.sendVoice({ duration: 4 })!.message!.voice).toMatchObject({
			duration: 4,
			mime_type: 'audio/ogg',
		});
		expect(user.sendSticker({ emoji: '🔥' })!.message!.sticker).toMatchObject({
			type: 'regular',
			emoji: '🔥',
		});
		expect(user.sendLocation(55.75, 37.62)!.message!.location).toEqual({ latitude: 55.75, longitude: 37.62 });
		const file = await api.getFile(photo.photo!.at(-1)!.file_id);
		const bytes = await fetch(`${emulator.url}/file/bot${emulator.token}/${file.file_path}`).then((r) =>
			r.text(),
		);
		expect(bytes).toBe('jpeg-bytes');
	});

	it('edits a message: edited_message with edit_date', () => {
		const user = emulator.user(profile);
		const sent = user.sendText('typo')!.message!;
		const update = user.editMessage(sent.message_id, 'fixed');
		expect(update?.edited_message).toMatchObject({
			message_id: sent.message_id,
			text: 'fixed',
			edit_date: expect.any(Number),
		});
	});

	it('presses an inline button: callback_query answered once with answerCallbackQuery (§1.3)', async () => {
		const user = emulator.user(profile);
		user.sendText('menu');
		const message = await api.sendMessage(3001, 'Подтвердить заказ?', {
			reply_markup: { inline_keyboard: [[{ text: 'Да', callback_data: 'confirm:15' }]] },
		});
		const update = user.pressButton(message.message_id, 'confirm:15') as TgUpdate;
		expect(update.callback_query).toMatchObject({
			id: expect.any(String),
			from: { id: 3001 },
			message: { message_id: message.message_id },
			chat_instance: expect.any(String),
			data: 'confirm:15',
		});
		const id = update.callback_query!.id;
		await expect(api.answerCallbackQuery(id, { text: 'Готово' })).resolves.toBe(true);
		expect(emulator.bot().callbacks.get(id)?.answer).toMatchObject({ text: 'Готово' });
		await expect(api.answerCallbackQuery(id)).rejects.toMatchObject({
			error_code: 400,
			description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
		});
		expect(() => user.pressButton(message.message_id, 'nope')).toThrow();
	});

	it('blocks and unblocks: my_chat_member member → kicked → member (§1.3)', () => {
		const user = emulator.user(profile);
		user.sendText('hi');
		const blocked = user.blockBot()!.my_chat_member!;
		expect(blocked).toMatchObject({
			chat: { id: 3001, type: 'private' },
			from: { id: 3001 },
			date: expect.any(Number),
			old_chat_member: { status: 'member', user: { is_bot: true } },
			new_chat_member: { status: 'kicked', user: { is_bot: true }, until_date: 0 },
		});
		expect(() => user.sendText('blocked users cannot write')).toThrow();
		// /start from a blocked chat restarts the bot first, as the client's Restart button does.
		user.start();
		const kinds = emulator.bot().updates.pending.map((u) => Object.keys(u).find((k) => k !== 'update_id'));
		expect(kinds).toEqual(['message', 'my_chat_member', 'my_chat_member', 'message']);
		expect(emulator.bot().updates.pending.at(-2)?.my_chat_member?.new_chat_member.status).toBe('member');
	});

	it('sending to a blocked user through grammY raises GrammyError 403', async () => {
		const user = emulator.user(profile);
		user.sendText('hi');
		user.blockBot();
		await expect(api.sendMessage(3001, 'promo')).rejects.toMatchObject({
			error_code: 403,
			description: 'Forbidden: bot was blocked by the user',
		});
	});
});
