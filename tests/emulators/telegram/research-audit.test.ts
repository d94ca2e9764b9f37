import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../kit/index.ts';
import { startTelegramEmulator, type TelegramEmulator, type TgUpdate } from './index.ts';
import { defaultTelegramLimits, TelegramLimits } from './limits.ts';

/**
 * Facts from channels.md §1 pinned one by one (the audit table in docs/emulators.md names each test).
 */
function manualClock(start = 1_767_225_600_000): Clock & { advance(ms: number): void } {
	let now = start;
	return { now: () => now, advance: (ms) => (now += ms) };
}

async function call(emulator: TelegramEmulator, method: string, body: Record<string, unknown> = {}) {
	const response = await fetch(`${emulator.url}/bot${emulator.token}/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Telegram research audit (channels.md §1)', () => {
	let emulator: TelegramEmulator | undefined;
	afterEach(async () => {
		await emulator?.close();
		emulator = undefined;
	});

	it('updates are not kept longer than 24 hours (§1.2 "Getting updates")', async () => {
		const clock = manualClock();
		emulator = await startTelegramEmulator({ clock });
		const user = emulator.user({ id: 5, first_name: 'Old' });
		user.sendText('stale');
		clock.advance(23 * 3_600_000);
		user.sendText('fresh');
		expect((await call(emulator, 'getWebhookInfo')).body.result).toMatchObject({ pending_update_count: 2 });
		clock.advance(3_600_000);
		const { body } = await call(emulator, 'getUpdates', { timeout: 0 });
		expect((body.result as TgUpdate[]).map((update) => update.message?.text)).toEqual(['fresh']);
		expect(emulator.state.bot().updates.expired.map((update) => update.message?.text)).toEqual(['stale']);
	});

	it('setWebhook: max_connections defaults to 40 and stays within 1-100 (§1.2)', async () => {
		emulator = await startTelegramEmulator();
		const url = 'http://127.0.0.1:9/hook';
		await call(emulator, 'setWebhook', { url });
		expect((await call(emulator, 'getWebhookInfo')).body.result).toMatchObject({ url, max_connections: 40 });
		await call(emulator, 'setWebhook', { url, max_connections: 500 });
		expect((await call(emulator, 'getWebhookInfo')).body.result).toMatchObject({ max_connections: 100 });
		await call(emulator, 'deleteWebhook');
	});

	it('allowed_updates: omitted keeps the previous setting; empty means all but chat_member/reactions (§1.2)', async () => {
		emulator = await startTelegramEmulator();
		await call(emulator, 'getUpdates', { allowed_updates: ['callback_query'], timeout: 0 });
		await call(emulator, 'getUpdates', { timeout: 0 });
		expect(emulator.state.bot().updates.allowedUpdates).toEqual(['callback_query']);
		await call(emulator, 'getUpdates', { allowed_updates: [], timeout: 0 });
		const user = emulator.user({ id: 6, first_name: 'All' });
		expect(user.sendText('now delivered')).toBeDefined();
	});

	it('secret_token longer than 256 chars is refused (§1.2: 1-256 of A-Z a-z 0-9 _ -)', async () => {
		emulator = await startTelegramEmulator();
		const url = 'http://127.0.0.1:9/hook';
		expect((await call(emulator, 'setWebhook', { url, secret_token: 'a'.repeat(256) })).status).toBe(200);
		const refused = await call(emulator, 'setWebhook', { url, secret_token: 'a'.repeat(257) });
		expect(refused.status).toBe(400);
		expect(refused.body).toMatchObject({ ok: false, error_code: 400 });
		await call(emulator, 'deleteWebhook');
	});

	it('groups: 20 messages per minute to the same group, then 429 with retry_after (§1.5)', () => {
		const clock = manualClock();
		const limits = new TelegramLimits(defaultTelegramLimits, clock);
		for (let i = 0; i < 20; i++) expect(limits.charge('1:a', -100, false)).toBeUndefined();
		const refused = limits.charge('1:a', -100, false);
		expect(refused?.toJSON()).toEqual({
			ok: false,
			error_code: 429,
			description: 'Too Many Requests: retry after 3',
			parameters: { retry_after: 3 },
		});
		clock.advance(3_000);
		expect(limits.charge('1:a', -100, false)).toBeUndefined();
	});

	it('the test environment path /bot<token>/test/<method> answers like the main one (§1.1)', async () => {
		emulator = await startTelegramEmulator();
		const response = await fetch(`${emulator.url}/bot${emulator.token}/test/getMe`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ ok: true, result: { is_bot: true } });
	});

	it('files: getFile refuses over 20 MB ("file is too big"), within it answers file_path (§1.5)', async () => {
		emulator = await startTelegramEmulator();
		const bot = emulator.state.bot();
		const small = bot.storeFile(Buffer.alloc(1024), 'documents', 'pdf', 'application/pdf', 'a.pdf');
		const big = bot.storeFile(
			Buffer.alloc(20 * 1024 * 1024 + 1),
			'documents',
			'pdf',
			'application/pdf',
			'b.pdf',
		);
		expect((await call(emulator, 'getFile', { file_id: small.file_id })).body).toMatchObject({
			ok: true,
			result: { file_id: small.file_id, file_size: 1024, file_path: expect.any(String) },
		});
		expect(await call(emulator, 'getFile', { file_id: big.file_id })).toEqual({
			status: 400,
			body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' },
		});
	});

	it('uploads over 50 MB are refused with 413 (§1.5 "send ≤ 50 MB")', async () => {
		emulator = await startTelegramEmulator();
		emulator.user({ id: 7, first_name: 'Big' }).sendText('hi');
		const form = new FormData();
		form.set('chat_id', '7');
		form.set('document', new Blob([new Uint8Array(50 * 1024 * 1024 + 1)]), 'big.pdf');
		const response = await fetch(`${emulator.url}/bot${emulator.token}/sendDocument`, {
			method: 'POST',
			body: form,
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({
			ok: false,
			error_code: 413,
			description: 'Request Entity Too Large',
		});
	});
});
