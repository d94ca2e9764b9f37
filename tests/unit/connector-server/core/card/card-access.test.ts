import { describe, expect, it } from 'vitest';
import { createTelegramClient } from '../../../../../connector-server/src/channels/telegram/client.ts';
import { createVkClient } from '../../../../../connector-server/src/channels/vk/client.ts';
import {
	CARD_ACCESS_TTL_SECONDS,
	CardAccessExpiredError,
	CardAccessInvalidError,
	deriveCardAccessKey,
	issueCardAccess,
	verifyCardAccess,
} from '../../../../../connector-server/src/core/card/card-access.ts';
import {
	cardPageUrl,
	createCardReactor,
	isCardRequest,
} from '../../../../../connector-server/src/core/card/card-reactor.ts';
import { firstNameOf } from '../../../../../connector-server/src/core/card/card-view.ts';
import { deriveCounterKeys } from '../../../../../connector-server/src/core/counter/qr-tokens.ts';
import { groupLoyaltyNumber } from '../../../../../connector-server/src/http/card-page.ts';

const master = Buffer.alloc(32, 1);
const key = deriveCardAccessKey(master);
const now = 1_790_000_000_000;
const who = { tenantId: '01JTENANT0000000000000000A', customerId: '01JCUSTOMER000000000000000' };

describe('card access links', () => {
	it('round-trips and lives 30 days', () => {
		const { access, expiresAt } = issueCardAccess(key, who, now);
		expect(access).toMatch(/^nc1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
		expect(expiresAt).toBe(Math.floor(now / 1000) * 1000 + CARD_ACCESS_TTL_SECONDS * 1000);
		expect(verifyCardAccess(key, access, now + 29 * 24 * 3600 * 1000)).toEqual({ ...who, expiresAt });
		expect(() => verifyCardAccess(key, access, expiresAt)).toThrow(CardAccessExpiredError);
	});

	it('uses its own key, not the QR tokens’ (separate HKDF info)', () => {
		expect(key.equals(deriveCounterKeys(master).qr)).toBe(false);
		expect(key.equals(deriveCardAccessKey(Buffer.alloc(32, 2)))).toBe(false);
	});

	it('refuses forgeries as invalid, even expired ones', () => {
		const { access } = issueCardAccess(key, who, now);
		const [prefix, payload, signature] = access.split('.') as [string, string, string];
		const otherCustomer = Buffer.from(
			JSON.stringify({ t: who.tenantId, c: 'someone-else', e: Math.floor(now / 1000) + 60 }),
		).toString('base64url');
		const bad = [
			`${prefix}.${otherCustomer}.${signature}`,
			`${prefix}.${payload}.${signature.slice(0, -1)}A`.replace(/AA$/, 'AB'),
			`nq1.${payload}.${signature}`,
			'nc1..',
			'',
			issueCardAccess(deriveCardAccessKey(Buffer.alloc(32, 9)), who, now).access,
		];
		for (const value of bad)
			expect(() => verifyCardAccess(key, value, now), value).toThrow(CardAccessInvalidError);
		const expiredForgery = issueCardAccess(
			deriveCardAccessKey(Buffer.alloc(32, 9)),
			who,
			now - 40 * 86_400_000,
		);
		expect(() => verifyCardAccess(key, expiredForgery.access, now)).toThrow(CardAccessInvalidError);
	});
});

describe('"My card" requests', () => {
	it.each(['/card', '/card@shop_bot', 'Моя карта', 'моя карта', 'МОЯ КАРТА!', 'My card', ' my card '])(
		'%s asks for the card',
		(text) => expect(isCardRequest({ text })).toBe(true),
	);
	it.each(['карта не работает', 'где моя карта?? заказ 123', '/cards', 'card 5', '/start'])(
		'%s does not',
		(text) => expect(isCardRequest({ text })).toBe(false),
	);
	it('the button data `card` does; other data and edits do not', () => {
		expect(isCardRequest({ buttonData: 'card' })).toBe(true);
		expect(isCardRequest({ buttonData: 'card', text: 'Моя карта' })).toBe(true);
		expect(isCardRequest({ buttonData: 'ol:y:abc', text: 'Моя карта' })).toBe(false);
		expect(isCardRequest({ text: '/card', editOf: '5' })).toBe(false);
	});
	it('builds the page URL under the base (path prefix kept, no double slash)', () => {
		expect(cardPageUrl('https://n.example/nitka/', 'nc1.a.b')).toBe('https://n.example/nitka/card/nc1.a.b');
	});
});

describe('what the page shows', () => {
	it('the first name only', () => {
		expect(firstNameOf('Анна Петрова')).toBe('Анна');
		expect(firstNameOf('  ')).toBeNull();
		expect(firstNameOf(null)).toBeNull();
	});
	it('the loyalty number grouped as printed under an EAN-13', () => {
		expect(groupLoyaltyNumber('2123456789012')).toBe('2 123456 789012');
		expect(groupLoyaltyNumber('123')).toBe('123');
	});
});

describe('a card link never goes to a group chat', () => {
	it('the reactor stays silent where the channel says the chat is a group', async () => {
		const reactor = createCardReactor({
			clock: { now: () => now },
			accessKey: key,
			baseUrl: () => 'https://n.example',
			privateChat: (channel, chatId) => channel !== 'telegram' || !chatId.startsWith('-'),
		});
		const stored = [
			{
				tenantId: who.tenantId,
				customerId: who.customerId,
				eventId: 'e1',
				event: {
					type: 'message.in' as const,
					channel: 'telegram' as const,
					occurredAt: now,
					sourceKey: 'telegram:1:1',
					data: {
						channel: 'telegram',
						connectionId: 'c',
						chatId: '-100123',
						text: '/card@shop_bot',
						attachments: [],
					},
				},
			},
		];
		// No database is touched: the group is refused before anything is issued.
		expect(await reactor(stored as never, {} as never)).toEqual([]);
	});

	it('Telegram and VK tell private chats from groups by their ids', () => {
		const tg = createTelegramClient('http://127.0.0.1:9').capabilities.privateChat!;
		const vk = createVkClient('http://127.0.0.1:9').capabilities.privateChat!;
		expect([tg('5551'), tg('-5551'), tg('-1005551')]).toEqual([true, false, false]);
		expect([vk('5551'), vk('2000000001'), vk('-5')]).toEqual([true, false, false]);
	});
});
