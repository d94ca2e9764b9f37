import { Api, Bot, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.ts';

// channels.md §2.2: grammY's real Api/Bot pointed at the emulator with `apiRoot`, unmodified.
describe('grammY against the Telegram emulator (channels.md §2.2)', () => {
	let emulator: TelegramEmulator;
	beforeEach(async () => {
		emulator = await startTelegramEmulator();
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('getMe returns the bot as UserFromGetMe', async () => {
		const api = new Api(emulator.token, { apiRoot: emulator.url });
		const me = await api.getMe();
		expect(me).toMatchObject({ id: 7000000001, is_bot: true, username: 'nitka_7000000001_bot' });
		expect(typeof me.can_join_groups).toBe('boolean');
	});

	it('setWebhook with a secret token, then getWebhookInfo (§1.2)', async () => {
		const api = new Api(emulator.token, { apiRoot: emulator.url });
		await expect(
			api.setWebhook('http://127.0.0.1:9/tg', { secret_token: 'abc_DEF-123', allowed_updates: ['message'] }),
		).resolves.toBe(true);
		const info = await api.getWebhookInfo();
		expect(info).toMatchObject({
			url: 'http://127.0.0.1:9/tg',
			pending_update_count: 0,
			max_connections: 40,
		});
		expect(info.allowed_updates).toEqual(['message']);
		await expect(api.deleteWebhook()).resolves.toBe(true);
	});

	it('sendMessage with HTML and an inline keyboard returns the Message (§1.4)', async () => {
		const alice = emulator.user({ id: 501, first_name: 'Alice', username: 'alice', language_code: 'ru' });
		alice.sendText('hi');
		const api = new Api(emulator.token, { apiRoot: emulator.url });
		const sent = await api.sendMessage(501, '<b>Hello</b>, Alice', {
			parse_mode: 'HTML',
			reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] },
		});
		expect(sent).toMatchObject({
			chat: { id: 501, type: 'private' },
			from: { is_bot: true },
			text: 'Hello, Alice',
			entities: [{ type: 'bold', offset: 0, length: 5 }],
			reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] },
		});
		expect(emulator.state.sentTo(501).map((entry) => entry.message.text)).toEqual(['Hello, Alice']);
	});

	it('sendPhoto with an InputFile upload, getFile, and the file download', async () => {
		const bob = emulator.user({ id: 502, first_name: 'Bob' });
		bob.sendText('send me the picture');
		const api = new Api(emulator.token, { apiRoot: emulator.url });
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
		const message = await api.sendPhoto(502, new InputFile(bytes, 'pic.jpg'), { caption: 'your *photo*' });
		expect(message.caption).toBe('your *photo*');
		const largest = message.photo?.at(-1);
		expect(largest?.file_size).toBe(bytes.length);
		const file = await api.getFile(largest!.file_id);
		expect(file.file_path).toMatch(/^photos\/file_\d+\.jpg$/);
		const download = await fetch(`${emulator.url}/file/bot${emulator.token}/${file.file_path}`);
		expect(download.status).toBe(200);
		expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
		expect(emulator.state.calls.at(-2)).toMatchObject({ method: 'sendPhoto', status: 200 });
	});

	it('getUpdates returns pending updates and confirms them by offset', async () => {
		const carol = emulator.user({ id: 503, first_name: 'Carol' });
		carol.sendText('one');
		carol.sendText('two');
		const api = new Api(emulator.token, { apiRoot: emulator.url });
		const first = await api.getUpdates();
		expect(first.map((update) => update.message?.text)).toEqual(['one', 'two']);
		expect(first[1]!.update_id).toBe(first[0]!.update_id + 1);
		const after = await api.getUpdates({ offset: first[1]!.update_id + 1, timeout: 0 });
		expect(after).toEqual([]);
	});

	it('a Bot with bot.start() long polling receives a user message and replies', async () => {
		const bot = new Bot(emulator.token, { client: { apiRoot: emulator.url } });
		const received: string[] = [];
		bot.on('message:text', async (ctx) => {
			received.push(ctx.message.text);
			await ctx.reply(`echo: ${ctx.message.text}`);
		});
		const dave = emulator.user({ id: 504, first_name: 'Dave', language_code: 'en' });
		const replied = new Promise<void>((resolve) => {
			const timer = setInterval(() => {
				if (emulator.state.sentTo(504).length > 0) {
					clearInterval(timer);
					resolve();
				}
			}, 10);
		});
		const polling = bot.start({ drop_pending_updates: true });
		await emulator.requests.waitFor((entry) => /getUpdates$/i.test(entry.path));
		dave.sendText('ping');
		await replied;
		await bot.stop();
		await polling;
		expect(received).toEqual(['ping']);
		expect(dave.lastReceived?.text).toBe('echo: ping');
	});
});
