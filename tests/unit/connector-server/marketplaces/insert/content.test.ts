import { describe, expect, it } from 'vitest';
import { captionsFor, chooseLink } from '../../../../../connector-server/src/marketplaces/insert/content.ts';
import { fontRuns } from '../../../../../connector-server/src/marketplaces/insert/fonts.ts';

describe('insert content', () => {
	it('prefers Telegram, then VK, then MAX for the QR', () => {
		const vk = { channel: 'vk', url: 'https://vk.me/club1?ref=t' };
		const max = { channel: 'max', url: 'https://max.ru/shop?start=t' };
		const tg = { channel: 'telegram', url: 'https://t.me/shop?start=t' };
		expect(chooseLink([max, vk, tg])).toBe(tg);
		expect(chooseLink([max, vk])).toBe(vk);
		expect(chooseLink([max])).toBe(max);
		expect(chooseLink([])).toBeUndefined();
	});

	it('names the messenger the QR opens', () => {
		expect(captionsFor('telegram').ru).toBe('Следите за заказом в Telegram / VK');
		expect(captionsFor('max').en).toBe('Track this order in MAX');
	});

	it('splits text between the Latin and Cyrillic files of PT Sans', () => {
		const runs = fontRuns('Заказ №42', 400);
		expect(runs.map((r) => r.text).join('')).toBe('Заказ №42');
		expect(runs.map((r) => r.font)).toEqual([
			'pt-sans-cyrillic-400',
			'pt-sans-latin-400',
			'pt-sans-cyrillic-400',
			'pt-sans-latin-400',
		]);
		expect(
			fontRuns('a😀', 700)
				.map((r) => r.text)
				.join(''),
		).toBe('a?');
	});
});
