import { CreatePromoCampaignRequestSchema, PROMO_CODE_ALPHABET } from '@nitka/shared';
import { describe, expect, it } from 'vitest';
import { newPromoCode } from '../../../../../connector-server/src/core/promos/codes.ts';
import {
	codeText,
	promoIntent,
	thankYouText,
} from '../../../../../connector-server/src/core/promos/texts.ts';

describe('promo codes', () => {
	it('are the prefix and uniformly drawn characters without look-alikes', () => {
		expect(PROMO_CODE_ALPHABET).not.toMatch(/[01OIL]/);
		expect(PROMO_CODE_ALPHABET).toHaveLength(31);
		const codes = Array.from({ length: 2000 }, () => newPromoCode('VK', 8));
		for (const code of codes) expect(code).toMatch(new RegExp(`^VK[${PROMO_CODE_ALPHABET}]{8}$`));
		expect(new Set(codes).size).toBe(codes.length);
		// Every character of the alphabet turns up (a biased or narrowed draw would miss some).
		const seen = new Set(codes.flatMap((c) => [...c.slice(2)]));
		expect(seen.size).toBe(PROMO_CODE_ALPHABET.length);
	});

	it('campaign input: the prefix is upper-cased and limited to the alphabet', () => {
		const base = { name: 'x', offer: 'y' };
		expect(CreatePromoCampaignRequestSchema.parse({ ...base, codePrefix: 'vk' })).toMatchObject({
			codePrefix: 'VK',
			codeLength: 8,
			channels: ['vk'],
		});
		expect(CreatePromoCampaignRequestSchema.safeParse({ ...base, codePrefix: 'PROMO' }).success).toBe(false);
		expect(CreatePromoCampaignRequestSchema.safeParse({ ...base, channels: [] }).success).toBe(false);
		expect(CreatePromoCampaignRequestSchema.safeParse({ ...base, channels: ['vk', 'vk'] }).success).toBe(
			false,
		);
	});
});

describe('what a chat message asks of the promo journey', () => {
	it.each([
		['промокод', 'get'],
		['Есть промокод?', 'get'],
		['Хочу промо-код', 'get'],
		['/promo', 'get'],
		['promo code please', 'get'],
		['Согласен получать предложения', 'consent'],
		['согласна', 'consent'],
		['Отписаться', 'stop'],
		['unsubscribe', 'stop'],
		['Здравствуйте', null],
		['Моя карта', null],
		['promotion', null],
	])('%s → %s', (text, intent) => {
		expect(promoIntent({ text })).toBe(intent);
	});

	it('reads Nitka’s own buttons, ignores other buttons and edits', () => {
		expect(promoIntent({ buttonData: 'promo:consent' })).toBe('consent');
		expect(promoIntent({ buttonData: 'promo:stop' })).toBe('stop');
		expect(promoIntent({ buttonData: 'card', text: 'промокод' })).toBeNull();
		expect(promoIntent({ text: 'промокод', editOf: '5' })).toBeNull();
	});

	it('texts carry the code, the expiry in Moscow time, and the next offer', () => {
		const text = codeText('−15%', 'VKABCDEFGH', Date.parse('2026-12-31T20:59:59Z'));
		expect(text).toContain('VKABCDEFGH');
		expect(text).toContain('31.12.2026');
		expect(
			thankYouText({
				firstName: 'Анна',
				locationName: 'Покровка',
				followUp: null,
				next: { offer: 'Улун', code: 'VKNEXT2345', expiresAt: null },
			}),
		).toBe(
			'Анна, спасибо, что заглянули к нам в «Покровка»! Рады, что промокод пригодился.\n\nУлун\nВаш следующий промокод: VKNEXT2345',
		);
	});
});
