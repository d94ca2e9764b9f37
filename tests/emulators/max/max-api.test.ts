import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../kit/index.ts';
import { type MaxEmulator, type MaxUpdate, startMaxEmulator } from './index.ts';

function manualClock(start = 1_767_225_600_000): Clock & { advance(ms: number): void } {
	let now = start;
	return { now: () => now, advance: (ms) => (now += ms) };
}

async function call(
	emulator: MaxEmulator,
	method: string,
	path: string,
	body?: unknown,
	token = emulator.token,
) {
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers: { authorization: token, ...(body ? { 'content-type': 'application/json' } : {}) },
		...(body ? { body: JSON.stringify(body) } : {}),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('MAX bot API emulator (channels.md §4)', () => {
	let emulator: MaxEmulator;
	beforeEach(async () => {
		emulator = await startMaxEmulator();
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('GET /me with the token in the Authorization header (no Bearer)', async () => {
		const { status, body } = await call(emulator, 'GET', '/me');
		expect(status).toBe(200);
		expect(body).toMatchObject({ user_id: expect.any(Number), is_bot: true, username: 'nitka_test_bot' });
	});

	it('401 {code, message} for a wrong token; ?access_token= refused by default, as dev.max.ru now says', async () => {
		expect(await call(emulator, 'GET', '/me', undefined, 'wrong')).toEqual({
			status: 401,
			body: { code: 'verify.token', message: 'Invalid access_token' },
		});
		// "Передача токена через query-параметры больше не поддерживается" (dev.max.ru/docs-api, channels.md §4).
		const viaQuery = await fetch(`${emulator.url}/me?access_token=${emulator.token}`);
		expect(viaQuery.status).toBe(401);
		expect(await viaQuery.json()).toEqual({ code: 'verify.token', message: 'Invalid access_token' });
		const legacy = await startMaxEmulator({ auth: 'both' });
		expect((await fetch(`${legacy.url}/me?access_token=${legacy.token}`)).status).toBe(200);
		await legacy.close();
	});

	it('"Bearer <token>" is not the documented form and is refused (token alone in Authorization, §4)', async () => {
		expect((await call(emulator, 'GET', '/me', undefined, `Bearer ${emulator.token}`)).status).toBe(401);
	});

	it('404 {code, message} for an unknown path; 400 {code, message} for a message without recipient', async () => {
		const unknown = await call(emulator, 'GET', '/no-such-method');
		expect(unknown.status).toBe(404);
		expect(Object.keys(unknown.body).sort()).toEqual(['code', 'message']);
		const noRecipient = await call(emulator, 'POST', '/messages', { text: 'hi' });
		expect(noRecipient.status).toBe(400);
		expect(Object.keys(noRecipient.body).sort()).toEqual(['code', 'message']);
	});

	it('GET /updates clamps limit to 1..1000 and timeout to 0..90; returns {updates, marker} (§4)', async () => {
		const user = emulator.user({ user_id: 300, first_name: 'Лев' });
		for (let i = 0; i < 3; i++) user.sendText(`m${i}`);
		const first = await call(emulator, 'GET', '/updates?limit=0&timeout=0');
		expect(Object.keys(first.body).sort()).toEqual(['marker', 'updates']);
		const all = first.body.updates as MaxUpdate[];
		expect(all.length).toBe(3);
		const one = await call(emulator, 'GET', '/updates?limit=1&timeout=0');
		expect((one.body.updates as MaxUpdate[]).length).toBe(1);
		const started = Date.now();
		const empty = await call(emulator, 'GET', `/updates?marker=${String(first.body.marker)}&timeout=-5`);
		expect(empty.body.updates).toEqual([]);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	it('long polling gets nothing while a webhook subscription is active (§4)', async () => {
		const user = emulator.user({ user_id: 301, first_name: 'Ия' });
		expect((await call(emulator, 'POST', '/subscriptions', { url: 'http://127.0.0.1:9/max' })).status).toBe(
			200,
		);
		user.sendText('hello');
		const polled = await call(emulator, 'GET', '/updates?timeout=0');
		expect(polled.body.updates).toEqual([]);
	});

	it('bot_started carries the deep-link payload (≤ 128 chars) and user_locale (§4)', () => {
		const user = emulator.user({ user_id: 100, first_name: 'Анна', locale: 'ru' });
		const update = user.start(`lnk_${'a'.repeat(124)}`);
		expect(update).toMatchObject({
			update_type: 'bot_started',
			timestamp: expect.any(Number),
			chat_id: user.chatId,
			user: { user_id: 100, first_name: 'Анна', is_bot: false },
			payload: `lnk_${'a'.repeat(124)}`,
			user_locale: 'ru',
		});
		expect(() => user.start('x'.repeat(129))).toThrow(RangeError);
	});

	it('POST /messages?user_id= sends to the dialog and returns {message}', async () => {
		const user = emulator.user({ user_id: 101, first_name: 'Boris' });
		user.start();
		const { status, body } = await call(emulator, 'POST', '/messages?user_id=101', { text: 'Здравствуйте!' });
		expect(status).toBe(200);
		expect(body.message).toMatchObject({
			recipient: { chat_id: user.chatId, chat_type: 'dialog' },
			body: { mid: expect.any(String), text: 'Здравствуйте!' },
			sender: { is_bot: true },
		});
		const byChat = await call(emulator, 'POST', `/messages?chat_id=${user.chatId}`, { text: 'second' });
		expect(byChat.status).toBe(200);
		expect(user.received.map((m) => m.body.text)).toEqual(['Здравствуйте!', 'second']);
	});

	it('POST /messages errors: unknown chat 404, text over 4000 chars 400, stopped bot 403', async () => {
		expect((await call(emulator, 'POST', '/messages?user_id=999', { text: 'x' })).status).toBe(404);
		const user = emulator.user({ user_id: 102, first_name: 'C' });
		user.start();
		const long = await call(emulator, 'POST', '/messages?user_id=102', { text: 'x'.repeat(4001) });
		expect(long.status).toBe(400);
		expect(long.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
		user.stop();
		expect((await call(emulator, 'POST', '/messages?user_id=102', { text: 'x' })).status).toBe(403);
	});

	it('GET /updates long polling with marker: message_created, then message_callback answered via /answers', async () => {
		const user = emulator.user({ user_id: 103, first_name: 'Dina', locale: 'ru' });
		const polling = call(emulator, 'GET', '/updates?timeout=30');
		await emulator.requests.waitFor((entry) => entry.path === '/updates');
		user.sendText('Где мой заказ?');
		const first = await polling;
		const updates = first.body.updates as MaxUpdate[];
		expect(updates).toEqual([
			{
				update_type: 'message_created',
				timestamp: expect.any(Number),
				message: expect.objectContaining({
					sender: expect.objectContaining({ user_id: 103 }),
					body: expect.objectContaining({ text: 'Где мой заказ?' }),
				}),
				user_locale: 'ru',
			},
		]);
		const marker = first.body.marker as number;
		expect((await call(emulator, 'GET', `/updates?timeout=0&marker=${marker}`)).body.updates).toEqual([]);

		const sent = await call(emulator, 'POST', '/messages?user_id=103', { text: 'Выберите', attachments: [] });
		const message = sent.body.message as Parameters<typeof user.pressButton>[0];
		const pressed = user.pressButton(message, 'order:15');
		expect(pressed).toMatchObject({
			update_type: 'message_callback',
			callback: { payload: 'order:15', user: { user_id: 103 } },
		});
		const next = await call(emulator, 'GET', `/updates?timeout=0&marker=${marker}`);
		const callbackId = (next.body.updates as Extract<MaxUpdate, { update_type: 'message_callback' }>[])[0]!
			.callback.callback_id;
		const answered = await call(emulator, 'POST', `/answers?callback_id=${callbackId}`, {
			notification: 'Принято',
		});
		expect(answered.body).toEqual({ success: true });
		expect(emulator.state.callbacks.get(callbackId)).toMatchObject({
			answered: true,
			answer: { notification: 'Принято' },
		});
	});

	it('subscriptions: webhook with X-Max-Bot-Api-Secret, redelivery until 200, drop fault, unsubscribe', async () => {
		const received: { update: MaxUpdate; secret: string | undefined }[] = [];
		const statuses = [500];
		const app = express();
		app.use(express.json());
		app.post('/max', (req, res) => {
			received.push({ update: req.body as MaxUpdate, secret: req.header('x-max-bot-api-secret') });
			res.sendStatus(statuses.shift() ?? 200);
		});
		const server = app.listen(0, '127.0.0.1');
		await new Promise((resolve) => server.once('listening', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/max`;
		const fast = await startMaxEmulator({ webhook: { retryDelayMs: 5, maxAttempts: 3 } });
		const subscribe = await call(fast, 'POST', '/subscriptions', {
			url,
			update_types: ['message_created', 'bot_started'],
			secret: 'max_secret-1',
		});
		expect(subscribe.body).toEqual({ success: true });
		expect((await call(fast, 'GET', '/subscriptions')).body).toEqual({
			subscriptions: [
				{ url, time: expect.any(Number), update_types: ['message_created', 'bot_started'], version: null },
			],
		});
		const user = fast.user({ user_id: 104, first_name: 'Egor' });
		user.start('ref_42');
		await fast.webhookIdle();
		expect(received.map((r) => r.update.update_type)).toEqual(['bot_started', 'bot_started']);
		expect(received.every((r) => r.secret === 'max_secret-1')).toBe(true);
		expect(fast.state.deliveries.map((d) => d.status)).toEqual([500, 200]);

		fast.faults.add({ match: 'webhook', fault: { kind: 'drop' }, times: 1 });
		user.sendText('dropped');
		user.sendText('delivered');
		await fast.webhookIdle();
		expect(received.at(-1)?.update).toMatchObject({ message: { body: { text: 'delivered' } } });
		expect(fast.state.lostUpdates).toHaveLength(1);

		expect((await call(fast, 'DELETE', `/subscriptions?url=${encodeURIComponent(url)}`)).body).toEqual({
			success: true,
		});
		expect((await call(fast, 'GET', '/subscriptions')).body).toEqual({ subscriptions: [] });
		await fast.close();
		await new Promise<void>((done) => server.close(() => done()));
	});

	it('a subscription failing for 8 hours is removed; long polling works again (3p on POST /subscriptions)', async () => {
		const clock = manualClock();
		const failing = await startMaxEmulator({ clock, webhook: { retryDelayMs: 5, maxAttempts: 1_000 } });
		const app = express();
		let hits = 0;
		app.post('/max', (_req, res) => {
			hits += 1;
			// The first failure starts the 8 hours; the clock has passed them by the second.
			if (hits === 2) clock.advance(8 * 60 * 60 * 1000);
			res.sendStatus(500);
		});
		const server = app.listen(0, '127.0.0.1');
		await new Promise((resolve) => server.once('listening', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/max`;
		await call(failing, 'POST', '/subscriptions', { url });
		failing.user({ user_id: 400, first_name: 'Ян' }).sendText('anyone?');
		await failing.webhookIdle();
		expect(failing.state.unsubscribed).toEqual([url]);
		expect((await call(failing, 'GET', '/subscriptions')).body).toEqual({ subscriptions: [] });
		const polled = await call(failing, 'GET', '/updates?timeout=0');
		expect((polled.body.updates as MaxUpdate[]).map((update) => update.update_type)).toEqual([
			'message_created',
		]);
		await failing.close();
		await new Promise<void>((done) => server.close(() => done()));
	});

	it('rejects a non-HTTPS public webhook URL (HTTPS-only since 2026-05-25, §4)', async () => {
		const { status } = await call(emulator, 'POST', '/subscriptions', { url: 'http://example.test/max' });
		expect(status).toBe(400);
	});

	it('30 requests/s: the 31st in the same instant is 429 {code, message}; the clock refills it', async () => {
		const clock = manualClock();
		const limited = await startMaxEmulator({ clock });
		const statuses: number[] = [];
		for (let i = 0; i < 31; i++) statuses.push((await call(limited, 'GET', '/me')).status);
		expect(statuses.filter((s) => s === 200)).toHaveLength(30);
		const refused = await call(limited, 'GET', '/me');
		expect(refused).toEqual({
			status: 429,
			body: { code: 'too.many.requests', message: 'Too many requests' },
		});
		clock.advance(1_000);
		expect((await call(limited, 'GET', '/me')).status).toBe(200);
		await limited.close();
	});

	it('injected faults: 503, 429, expired token, latency', async () => {
		emulator.faults.add({ match: 'GET /me', fault: { kind: 'status', status: 503 }, times: 1 });
		expect((await call(emulator, 'GET', '/me')).status).toBe(503);
		emulator.faults.add({ match: 'GET /me', fault: { kind: 'rate-limit' }, times: 1 });
		expect((await call(emulator, 'GET', '/me')).status).toBe(429);
		emulator.faults.add({ match: 'GET /me', fault: { kind: 'expired-token' }, times: 1 });
		expect((await call(emulator, 'GET', '/me')).body).toEqual({
			code: 'verify.token',
			message: 'Invalid access_token',
		});
		emulator.faults.add({ match: 'GET /me', fault: { kind: 'latency', ms: 30 }, times: 1 });
		const order: string[] = [];
		const slow = call(emulator, 'GET', '/me').then(() => order.push('slow'));
		await emulator.requests.waitFor((entry) => entry.path === '/me' && order.length === 0);
		await call(emulator, 'GET', '/subscriptions').then(() => order.push('fast'));
		await slow;
		expect(order).toEqual(['fast', 'slow']);
	});
});
