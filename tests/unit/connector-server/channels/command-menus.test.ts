import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMaxClient, MAX_COMMANDS } from '../../../../connector-server/src/channels/max/client.ts';
import {
	createTelegramClient,
	TELEGRAM_COMMANDS,
} from '../../../../connector-server/src/channels/telegram/client.ts';
import type { ConnectedChannel } from '../../../../connector-server/src/core/ports/channel-client.ts';

// The bot's command menu on connect (docs/counter.md): /catalog, /promo, /return next to /card,
// the shop's own commands kept, and a menu that cannot be read or written never blocks connecting.

const connection = (channel: 'telegram' | 'max'): ConnectedChannel =>
	({
		id: 'c1',
		tenantId: 't1',
		channel,
		credentials: { token: '7000000001:AAEmulatorTokenForTestsOnly_0123456789' },
		settings: {},
		webhookSecret: null,
	}) as unknown as ConnectedChannel;

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('bot command menus', () => {
	it('lists each journey next to /card, in both of Telegram’s languages', () => {
		for (const language of ['default', 'ru'] as const) {
			expect(TELEGRAM_COMMANDS[language].map((c) => c.command)).toEqual([
				'catalog',
				'promo',
				'return',
				'card',
			]);
			for (const c of TELEGRAM_COMMANDS[language]) {
				expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
				expect(c.description.length).toBeGreaterThan(0);
				expect(c.description.length).toBeLessThanOrEqual(256);
			}
		}
		expect(MAX_COMMANDS.map((c) => c.name)).toEqual(['catalog', 'promo', 'return', 'card']);
		for (const c of MAX_COMMANDS) expect(c.description.length).toBeLessThanOrEqual(128);
	});

	it('Telegram: keeps the shop’s commands, adds ours; a failing language leaves the bot connected', async () => {
		const sets: { language: string; commands: { command: string }[] }[] = [];
		vi.stubGlobal(
			'fetch',
			vi.fn(async (url: string, init: RequestInit) => {
				const method = String(url).split('/').pop();
				const body = JSON.parse(String(init.body ?? '{}')) as {
					language_code?: string;
					commands?: { command: string }[];
				};
				if (method === 'getMyCommands') {
					// The Russian menu cannot be read (a Bot API hiccup); the default one has the shop's /start.
					if (body.language_code === 'ru')
						return json({ ok: false, error_code: 500, description: 'boom' }, 500);
					return json({ ok: true, result: [{ command: 'start', description: 'Начать' }] });
				}
				if (method === 'setMyCommands') {
					sets.push({ language: body.language_code ?? '', commands: body.commands ?? [] });
					return json({ ok: true, result: true });
				}
				return json({ ok: true, result: true });
			}),
		);
		await expect(
			createTelegramClient('http://tg.invalid').activate(connection('telegram'), undefined),
		).resolves.toEqual(expect.anything());
		expect(sets).toEqual([
			{
				language: '',
				commands: [{ command: 'start' }, ...TELEGRAM_COMMANDS.default].map((c) =>
					expect.objectContaining({ command: c.command }),
				),
			},
		]);
	});

	it('Telegram: nothing to add, nothing written', async () => {
		const calls: string[] = [];
		vi.stubGlobal(
			'fetch',
			vi.fn(async (url: string, init: RequestInit) => {
				const method = String(url).split('/').pop() ?? '';
				calls.push(method);
				const body = JSON.parse(String(init.body ?? '{}')) as { language_code?: 'ru' };
				if (method === 'getMyCommands')
					return json({ ok: true, result: TELEGRAM_COMMANDS[body.language_code ?? 'default'] });
				return json({ ok: true, result: true });
			}),
		);
		await createTelegramClient('http://tg.invalid').activate(connection('telegram'), undefined);
		expect(calls).not.toContain('setMyCommands');
	});

	it('MAX: PATCH /me with the shop’s commands first; a refused PATCH still connects', async () => {
		const patches: unknown[] = [];
		vi.stubGlobal(
			'fetch',
			vi.fn(async (url: URL | string, init: RequestInit) => {
				const path = new URL(String(url)).pathname;
				if (path === '/me' && init.method === 'GET')
					return json({ user_id: 1, name: 'bot', commands: [{ name: 'help', description: 'Помощь' }] });
				if (path === '/me' && init.method === 'PATCH') {
					patches.push(JSON.parse(String(init.body)));
					return json({ code: 'internal', message: 'down' }, 500);
				}
				return json({ success: true });
			}),
		);
		await expect(
			createMaxClient('http://max.invalid').activate(connection('max'), undefined),
		).resolves.toEqual({});
		expect(patches).toEqual([{ commands: [{ name: 'help', description: 'Помощь' }, ...MAX_COMMANDS] }]);
	});
});
