import { describe, expect, it } from 'vitest';
import type { Clock } from '../kit/index.ts';
import { startTelegramEmulator, type TelegramEmulator } from './index.ts';

/** A clock the test moves by hand, so limits never depend on wall-clock speed. */
function manualClock(start = 1_767_225_600_000): Clock & { advance(ms: number): void } {
	let now = start;
	return { now: () => now, advance: (ms) => (now += ms) };
}

async function send(emulator: TelegramEmulator, chatId: number, extra: Record<string, unknown> = {}) {
	const response = await fetch(`${emulator.url}/bot${emulator.token}/sendMessage`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ chat_id: chatId, text: 'hi', ...extra }),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Telegram limits (channels.md §1.5) with an injected clock', () => {
	it('per chat: a short burst, then 429 "Too Many Requests: retry after N" until a second passes', async () => {
		const clock = manualClock();
		const emulator = await startTelegramEmulator({ clock });
		emulator.user({ id: 1, first_name: 'A' }).sendText('hi');
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await send(emulator, 1)).status);
		expect(statuses).toEqual([200, 200, 200, 429]);
		// channels.md §1.1 canonical 429 body.
		expect((await send(emulator, 1)).body).toEqual({
			ok: false,
			error_code: 429,
			description: 'Too Many Requests: retry after 1',
			parameters: { retry_after: 1 },
		});
		clock.advance(1_000);
		expect((await send(emulator, 1)).status).toBe(200);
		expect((await send(emulator, 1)).status).toBe(429);
		// Timestamps come from the injected clock.
		expect(emulator.state.sentTo(1).map((entry) => entry.at - emulator.state.sentTo(1)[0]!.at)).toEqual([
			0, 0, 0, 1_000,
		]);
		await emulator.close();
	});

	it('per bot: 30 messages/s across chats, then 429; allow_paid_broadcast lifts it', async () => {
		const clock = manualClock();
		const emulator = await startTelegramEmulator({ clock });
		for (let id = 1; id <= 40; id++) emulator.user({ id, first_name: `U${id}` }).sendText('hi');
		const results = [];
		for (let id = 1; id <= 31; id++) results.push((await send(emulator, id)).status);
		expect(results.filter((status) => status === 200)).toHaveLength(30);
		expect(results.at(-1)).toBe(429);
		expect((await send(emulator, 32, { allow_paid_broadcast: true })).status).toBe(200);
		clock.advance(1_000);
		expect((await send(emulator, 33)).status).toBe(200);
		await emulator.close();
	});

	it('limits are configurable', async () => {
		const clock = manualClock();
		const emulator = await startTelegramEmulator({
			clock,
			limits: { perChat: { burst: 1, perSecond: 0.5 } },
		});
		emulator.user({ id: 1, first_name: 'A' }).sendText('hi');
		expect((await send(emulator, 1)).status).toBe(200);
		expect((await send(emulator, 1)).body.parameters).toEqual({ retry_after: 2 });
		await emulator.close();
	});

	it('403 "Forbidden: bot was blocked by the user" after the user blocks the bot (§1.1)', async () => {
		const emulator = await startTelegramEmulator();
		const user = emulator.user({ id: 5, first_name: 'B' });
		user.sendText('hi');
		user.blockBot();
		expect(await send(emulator, 5)).toEqual({
			status: 403,
			body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
		});
		user.unblockBot();
		expect((await send(emulator, 5)).status).toBe(200);
		await emulator.close();
	});
});

describe('Telegram fault injection', () => {
	it('answers an injected 5xx, 429 and expired token in the Bot API envelope, then recovers', async () => {
		const emulator = await startTelegramEmulator();
		emulator.user({ id: 1, first_name: 'A' }).sendText('hi');
		// The kit fires every matching rule per call, so each fault is armed just before its call.
		emulator.faults.add({ match: 'sendMessage', fault: { kind: 'status', status: 502 }, times: 1 });
		expect((await send(emulator, 1)).body).toEqual({
			ok: false,
			error_code: 502,
			description: 'Bad Gateway',
		});
		emulator.faults.add({
			match: 'sendMessage',
			fault: { kind: 'rate-limit', retryAfterSeconds: 7 },
			times: 1,
		});
		expect((await send(emulator, 1)).body).toEqual({
			ok: false,
			error_code: 429,
			description: 'Too Many Requests: retry after 7',
			parameters: { retry_after: 7 },
		});
		emulator.faults.add({ match: 'sendMessage', fault: { kind: 'expired-token' }, times: 1 });
		expect(await send(emulator, 1)).toEqual({
			status: 401,
			body: { ok: false, error_code: 401, description: 'Unauthorized' },
		});
		expect((await send(emulator, 1)).status).toBe(200);
		await emulator.close();
	});

	it('latency delays the answer; a regex rule matches several methods', async () => {
		const emulator = await startTelegramEmulator();
		emulator.faults.add({ match: /^get/, fault: { kind: 'latency', ms: 30 }, times: 1 });
		const order: string[] = [];
		const slow = fetch(`${emulator.url}/bot${emulator.token}/getMe`).then(() => order.push('slow'));
		await emulator.requests.waitFor((entry) => entry.path.endsWith('/getMe'));
		await fetch(`${emulator.url}/bot${emulator.token}/setMyCommands?commands=[]`).then(() =>
			order.push('fast'),
		);
		await slow;
		// Asserts ordering, not duration: the delayed call finishes after one made later.
		expect(order).toEqual(['fast', 'slow']);
		await emulator.close();
	});
});
