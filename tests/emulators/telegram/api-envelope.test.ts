import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.ts';

interface Envelope {
	ok: boolean;
	result?: unknown;
	error_code?: number;
	description?: string;
	parameters?: { retry_after?: number };
}

async function call(
	emulator: TelegramEmulator,
	method: string,
	body?: Record<string, unknown>,
	token = emulator.token,
) {
	const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body ?? {}),
	});
	return { status: response.status, body: (await response.json()) as Envelope };
}

describe('Telegram transport and envelope (channels.md §1.1)', () => {
	let emulator: TelegramEmulator;
	beforeEach(async () => {
		emulator = await startTelegramEmulator();
		emulator.user({ id: 42, first_name: 'Eve' }).sendText('hello');
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('accepts GET with a query string', async () => {
		const response = await fetch(
			`${emulator.url}/bot${emulator.token}/sendMessage?chat_id=42&text=via%20GET`,
		);
		expect(await response.json()).toMatchObject({ ok: true, result: { text: 'via GET', chat: { id: 42 } } });
	});

	it('accepts form-urlencoded, with objects as JSON strings', async () => {
		const form = new URLSearchParams({
			chat_id: '42',
			text: 'via form',
			reply_markup: JSON.stringify({ keyboard: [[{ text: 'Share phone', request_contact: true }]] }),
		});
		const response = await fetch(`${emulator.url}/bot${emulator.token}/sendMessage`, {
			method: 'POST',
			body: form,
		});
		expect(await response.json()).toMatchObject({ ok: true, result: { text: 'via form' } });
		// A reply keyboard is not part of the Message object, but the emulator records it.
		const last = emulator.state.sentTo(42).at(-1)!;
		expect(last.message.reply_markup).toBeUndefined();
		expect(last.replyMarkup).toEqual({ keyboard: [[{ text: 'Share phone', request_contact: true }]] });
	});

	it('accepts multipart/form-data from the Web FormData (sendDocument upload)', async () => {
		const form = new FormData();
		form.set('chat_id', '42');
		form.set('caption', 'invoice');
		form.set(
			'document',
			new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }),
			'invoice.pdf',
		);
		const response = await fetch(`${emulator.url}/bot${emulator.token}/sendDocument`, {
			method: 'POST',
			body: form,
		});
		const body = (await response.json()) as Envelope;
		expect(body).toMatchObject({
			ok: true,
			result: {
				caption: 'invoice',
				document: { file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 13 },
			},
		});
	});

	it('answers the canonical success envelope, with the description setWebhook adds', async () => {
		const { status, body } = await call(emulator, 'setWebhook', { url: 'http://127.0.0.1:9/hook' });
		expect(status).toBe(200);
		expect(body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
	});

	it('method names are case-insensitive', async () => {
		expect((await call(emulator, 'GETME')).body.ok).toBe(true);
	});

	it('401 Unauthorized for an unknown token, 404 Not Found for an unknown method or a malformed path', async () => {
		expect(await call(emulator, 'getMe', {}, '1:wrong')).toEqual({
			status: 401,
			body: { ok: false, error_code: 401, description: 'Unauthorized' },
		});
		expect(await call(emulator, 'sendTelepathy')).toEqual({
			status: 404,
			body: { ok: false, error_code: 404, description: 'Not Found' },
		});
		const bare = await fetch(`${emulator.url}/botnotatoken/getMe`);
		expect(bare.status).toBe(404);
	});

	it.each([
		[{ text: 'x' }, 'Bad Request: chat_id is empty'],
		[{ chat_id: 999, text: 'x' }, 'Bad Request: chat not found'],
		[{ chat_id: 42 }, 'Bad Request: message text is empty'],
		[{ chat_id: 42, text: '   ' }, 'Bad Request: message text is empty'],
		[{ chat_id: 42, text: 'x'.repeat(4097) }, 'Bad Request: message is too long'],
		[{ chat_id: 42, text: 'x', parse_mode: 'BBCode' }, 'Bad Request: unsupported parse_mode'],
		[
			{ chat_id: 42, text: 'a <blink>b</blink>', parse_mode: 'HTML' },
			'Bad Request: can\'t parse entities: Unsupported start tag "blink" at byte offset 2',
		],
		[
			{ chat_id: 42, text: 'Price 5.00', parse_mode: 'MarkdownV2' },
			"Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
		],
		[
			{ chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'no action' }]] } },
			"Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
		],
		[
			{
				chat_id: 42,
				text: 'x',
				reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] },
			},
			'Bad Request: BUTTON_DATA_INVALID',
		],
	])('sendMessage %j → 400 %s', async (params, description) => {
		expect(await call(emulator, 'sendMessage', params)).toEqual({
			status: 400,
			body: { ok: false, error_code: 400, description },
		});
	});

	it('counts the 4096 limit after entity parsing', async () => {
		const text = `<b>${'x'.repeat(4096)}</b>`;
		const { body } = await call(emulator, 'sendMessage', { chat_id: 42, text, parse_mode: 'HTML' });
		expect(body.ok).toBe(true);
	});

	it('parses MarkdownV2 entities with escapes', async () => {
		const { body } = await call(emulator, 'sendMessage', {
			chat_id: 42,
			text: '*Order* \\#15 is _ready_ [here](https://example.test/o/15)\\!',
			parse_mode: 'MarkdownV2',
		});
		expect(body.result).toMatchObject({
			text: 'Order #15 is ready here!',
			entities: [
				{ type: 'bold', offset: 0, length: 5 },
				{ type: 'italic', offset: 13, length: 5 },
				{ type: 'text_link', offset: 19, length: 4, url: 'https://example.test/o/15' },
			],
		});
	});

	it('403 for a user who never started the bot', async () => {
		emulator.user({ id: 77, first_name: 'Silent' }).chat;
		expect((await call(emulator, 'sendMessage', { chat_id: 77, text: 'x' })).body).toEqual({
			ok: false,
			error_code: 403,
			description: "Forbidden: bot can't initiate conversation with a user",
		});
	});

	it('editMessageText edits the bot message and refuses a no-op edit', async () => {
		const sent = await call(emulator, 'sendMessage', { chat_id: 42, text: 'draft' });
		const messageId = (sent.body.result as { message_id: number }).message_id;
		const edited = await call(emulator, 'editMessageText', {
			chat_id: 42,
			message_id: messageId,
			text: 'final',
		});
		expect(edited.body.result).toMatchObject({
			message_id: messageId,
			text: 'final',
			edit_date: expect.any(Number),
		});
		const again = await call(emulator, 'editMessageText', {
			chat_id: 42,
			message_id: messageId,
			text: 'final',
		});
		expect(again.body.description).toMatch(/^Bad Request: message is not modified/);
		const missing = await call(emulator, 'editMessageText', { chat_id: 42, message_id: 9999, text: 'x' });
		expect(missing.body.description).toBe('Bad Request: message to edit not found');
		expect(emulator.state.sentTo(42).map((entry) => entry.method)).toEqual([
			'sendMessage',
			'editMessageText',
		]);
	});

	it('setMyCommands / getMyCommands per scope and language', async () => {
		const commands = [{ command: 'start', description: 'Start' }];
		expect((await call(emulator, 'setMyCommands', { commands })).body.result).toBe(true);
		expect((await call(emulator, 'getMyCommands')).body.result).toEqual(commands);
		expect((await call(emulator, 'getMyCommands', { language_code: 'ru' })).body.result).toEqual([]);
		const bad = await call(emulator, 'setMyCommands', {
			commands: [{ command: 'Bad Command', description: 'x' }],
		});
		expect(bad.body.description).toBe('Bad Request: BOT_COMMAND_INVALID');
	});

	it('getFile rejects unknown ids and the download 404s an unknown path', async () => {
		expect((await call(emulator, 'getFile', { file_id: 'nope' })).body.description).toBe(
			'Bad Request: invalid file_id',
		);
		const response = await fetch(`${emulator.url}/file/bot${emulator.token}/photos/none.jpg`);
		expect(response.status).toBe(404);
	});

	it('setWebhook validates secret_token and the URL like Telegram (§1.2)', async () => {
		const badSecret = await call(emulator, 'setWebhook', {
			url: 'https://example.test/h',
			secret_token: 'a+b=',
		});
		expect(badSecret.body.description).toBe('Bad Request: secret token contains unallowed characters');
		const tooLong = await call(emulator, 'setWebhook', {
			url: 'https://example.test/h',
			secret_token: 'a'.repeat(257),
		});
		expect(tooLong.body.description).toBe('Bad Request: secret token contains unallowed characters');
		const http = await call(emulator, 'setWebhook', { url: 'http://example.test/h' });
		expect(http.body.description).toBe('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
		const port = await call(emulator, 'setWebhook', { url: 'https://example.test:8080/h' });
		expect(port.body.description).toBe(
			'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443',
		);
		const ok = await call(emulator, 'setWebhook', {
			url: 'https://example.test:8443/h',
			secret_token: 'a'.repeat(256),
		});
		expect(ok.body.ok).toBe(true);
	});
});
