import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator, type TgUpdate, webhookFaultTarget } from './index.ts';

/** A loopback receiver that answers with the statuses it is told to, in order (then 200). */
async function startReceiver(statuses: number[] = []) {
	const received: { update: TgUpdate; secret: string | undefined }[] = [];
	const app = express();
	app.use(express.json());
	app.post('/hook', (req, res) => {
		received.push({ update: req.body as TgUpdate, secret: req.header('x-telegram-bot-api-secret-token') });
		res.sendStatus(statuses.shift() ?? 200);
	});
	const server = app.listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () => new Promise<void>((done) => server.close(() => done())),
	};
}

async function call(emulator: TelegramEmulator, method: string, body: Record<string, unknown> = {}) {
	const response = await fetch(`${emulator.url}/bot${emulator.token}/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Telegram updates: getUpdates and webhook delivery (channels.md §1.2, §1.3)', () => {
	let emulator: TelegramEmulator;
	beforeEach(async () => {
		emulator = await startTelegramEmulator({
			webhook: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
		});
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('409 Conflict for getUpdates while a webhook is set', async () => {
		await call(emulator, 'setWebhook', { url: 'http://127.0.0.1:9/none' });
		expect(await call(emulator, 'getUpdates')).toEqual({
			status: 409,
			body: {
				ok: false,
				error_code: 409,
				description:
					"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
			},
		});
	});

	it('a long poll waits for the next update and returns it', async () => {
		const polling = call(emulator, 'getUpdates', { timeout: 20 });
		await emulator.requests.waitFor((entry) => entry.path.endsWith('/getUpdates'));
		emulator.user({ id: 9, first_name: 'Zoe' }).sendText('wake up');
		const { body } = await polling;
		expect((body.result as TgUpdate[]).map((update) => update.message?.text)).toEqual(['wake up']);
	});

	it('a second poller terminates the first with 409 (one instance per bot)', async () => {
		const first = call(emulator, 'getUpdates', { timeout: 20 });
		await emulator.requests.waitFor((entry) => entry.path.endsWith('/getUpdates'));
		const second = call(emulator, 'getUpdates', { timeout: 0 });
		expect((await first).body.description).toBe(
			'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
		);
		expect((await second).status).toBe(200);
	});

	it('negative offset keeps only the last updates; limit caps the batch', async () => {
		const user = emulator.user({ id: 9, first_name: 'Zoe' });
		for (const text of ['a', 'b', 'c', 'd']) user.sendText(text);
		const limited = await call(emulator, 'getUpdates', { limit: 2 });
		expect((limited.body.result as TgUpdate[]).map((u) => u.message?.text)).toEqual(['a', 'b']);
		const last = await call(emulator, 'getUpdates', { offset: -1 });
		expect((last.body.result as TgUpdate[]).map((u) => u.message?.text)).toEqual(['d']);
	});

	it('allowed_updates filters updates created after the call (§1.2)', async () => {
		const user = emulator.user({ id: 9, first_name: 'Zoe' });
		user.sendText('before');
		await call(emulator, 'getUpdates', { allowed_updates: ['callback_query'], timeout: 0 });
		expect(user.sendText('after')).toBeUndefined();
		const { body } = await call(emulator, 'getUpdates', { allowed_updates: [] });
		expect((body.result as TgUpdate[]).map((u) => u.message?.text)).toEqual(['before']);
	});

	it('pushes updates to the webhook with X-Telegram-Bot-Api-Secret-Token, update_id increasing', async () => {
		const receiver = await startReceiver();
		await call(emulator, 'setWebhook', { url: receiver.url, secret_token: 'S3cret_token-1' });
		const user = emulator.user({ id: 10, first_name: 'Yan' });
		user.sendText('one');
		user.sendText('two');
		await emulator.webhookIdle();
		expect(receiver.received.map((r) => r.update.message?.text)).toEqual(['one', 'two']);
		expect(receiver.received.every((r) => r.secret === 'S3cret_token-1')).toBe(true);
		const [a, b] = receiver.received.map((r) => r.update.update_id);
		expect(b).toBe(a! + 1);
		expect((await call(emulator, 'getWebhookInfo')).body.result).toMatchObject({ pending_update_count: 0 });
		await receiver.close();
	});

	it('redelivers the same update on non-2xx with backoff, then moves on', async () => {
		const receiver = await startReceiver([500, 502]);
		await call(emulator, 'setWebhook', { url: receiver.url, secret_token: 'retry' });
		emulator.user({ id: 11, first_name: 'Xi' }).sendText('retry me');
		await emulator.webhookIdle();
		const ids = receiver.received.map((r) => r.update.update_id);
		expect(ids).toHaveLength(3);
		expect(new Set(ids).size).toBe(1);
		expect(receiver.received.every((r) => r.secret === 'retry')).toBe(true);
		expect(emulator.bot().deliveries.map((d) => d.status)).toEqual([500, 502, 200]);
		const info = (await call(emulator, 'getWebhookInfo')).body.result as Record<string, unknown>;
		expect(info.last_error_message).toBe('Wrong response from the webhook: 502 Bad Gateway');
		expect(info.last_error_date).toEqual(expect.any(Number));
		await receiver.close();
	});

	it('gives an update up after maxAttempts failures', async () => {
		const receiver = await startReceiver([500, 500, 500]);
		await call(emulator, 'setWebhook', { url: receiver.url });
		const update = emulator.user({ id: 12, first_name: 'Wu' }).sendText('doomed');
		await emulator.webhookIdle();
		expect(receiver.received).toHaveLength(3);
		expect(emulator.bot().lostUpdates).toEqual([update]);
		await receiver.close();
	});

	it('a drop fault silently skips one delivery; the next update still arrives', async () => {
		const receiver = await startReceiver();
		emulator.faults.add({ match: webhookFaultTarget, fault: { kind: 'drop' }, times: 1 });
		await call(emulator, 'setWebhook', { url: receiver.url });
		const user = emulator.user({ id: 13, first_name: 'Vi' });
		const lost = user.sendText('lost');
		user.sendText('kept');
		await emulator.webhookIdle();
		expect(receiver.received.map((r) => r.update.message?.text)).toEqual(['kept']);
		expect(emulator.bot().lostUpdates).toEqual([lost]);
		await receiver.close();
	});

	it('drop_pending_updates discards the queue', async () => {
		emulator.user({ id: 14, first_name: 'Uma' }).sendText('stale');
		await call(emulator, 'deleteWebhook', { drop_pending_updates: true });
		expect((await call(emulator, 'getUpdates')).body.result).toEqual([]);
	});
});
