import { CreatePromoCampaignRequestSchema, PROMO_CODE_ALPHABET } from '@nitka/shared';
import { describe, expect, it } from 'vitest';
import { newPromoCode, normalisePromoCode } from '../../../../../connector-server/src/core/promos/codes.ts';
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

describe('a promo code as staff type it', () => {
	it('drops spaces, dashes and underscores and upper-cases', () => {
		expect(normalisePromoCode(' vk-abc 234 ')).toBe('VKABC234');
		expect(normalisePromoCode('VK\u00a0ABC\u2013234_9')).toBe('VKABC2349');
		expect(normalisePromoCode('vkabc234')).toBe('VKABC234');
	});

	it('makes Cyrillic look-alikes Latin when the alphabet is Latin', () => {
		// «ВКАВС234» as read off a screen and typed on the Russian layout: В К А В С are Cyrillic.
		expect(normalisePromoCode('ВКАВС234')).toBe('BKABC234');
		expect(normalisePromoCode('вк-авс 234')).toBe('BKABC234');
		expect(normalisePromoCode('VKАВС234')).toBe('VKABC234'); // half Latin, half Cyrillic
		expect(normalisePromoCode('ЕНМРТХУ')).toBe('EHMPTXY');
		expect(normalisePromoCode('З45')).toBe('345');
		for (const code of Array.from({ length: 200 }, () => newPromoCode('VK', 8))) {
			expect(normalisePromoCode(code)).toBe(code);
			expect(normalisePromoCode(code.toLowerCase().replace(/(.{4})/g, '$1-'))).toBe(code);
		}
		// Letters with no Latin twin stay as they are (the lookup then finds nothing).
		expect(normalisePromoCode('ЖЮ7')).toBe('ЖЮ7');
	});

	it('keeps Cyrillic when the codes’ alphabet is not Latin', () => {
		expect(normalisePromoCode('ск-да 7', 'АБВГДСК0123456789')).toBe('СКДА7');
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
