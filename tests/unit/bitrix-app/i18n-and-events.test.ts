import type { TimelineEvent } from '@nitka/shared';
import { describe, expect, it } from 'vitest';
import { en } from '../../../bitrix-app/src/i18n/en.ts';
import { language, languageOf, t } from '../../../bitrix-app/src/i18n/i18n.ts';
import { ru } from '../../../bitrix-app/src/i18n/ru.ts';
import { describeEvent } from '../../../bitrix-app/src/timeline/describe-event.ts';

const envelope = {
	id: '01J00000000000000000000000',
	tenantId: '01J00000000000000000000001',
	customerId: '01J00000000000000000000002',
	occurredAt: '2026-03-12T11:05:00Z',
	recordedAt: '2026-03-12T11:05:00Z',
	sourceKey: 'k',
} as const;

describe('bitrix-app i18n', () => {
	it('has every key in both languages, with the same placeholders', () => {
		expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
		const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(en) as (keyof typeof en)[])
			expect(holes(ru[key]), key).toEqual(holes(en[key]));
	});

	it('follows the portal language: Russian for ru/ua/kz/by, English otherwise', () => {
		expect(['ru', 'UA', 'kz', 'by'].map(languageOf)).toEqual(['ru', 'ru', 'ru', 'ru']);
		expect(['en', 'de', 'br', '', null].map(languageOf)).toEqual(['en', 'en', 'en', 'en', 'en']);
	});
});

describe('bitrix-app event titles', () => {
	it('describes orders and counter events in the portal language, customer data as given', () => {
		const moved = {
			...envelope,
			type: 'order.status_changed',
			channel: 'ozon',
			data: {
				source: 'ozon',
				orderId: '1',
				number: '<b>77</b>',
				from: 'shipped',
				to: 'delivered',
				rawStatus: 'delivered',
			},
		} as TimelineEvent;
		language.value = 'ru';
		expect(describeEvent(moved)).toBe('Заказ <b>77</b>: Отправлен → Доставлен');
		language.value = 'en';
		expect(describeEvent(moved)).toBe('Order <b>77</b>: Shipped → Delivered');
		const purchase = {
			...envelope,
			type: 'pos.purchase',
			channel: 'pos',
			data: { locationId: 'shop-1', receiptId: 'R-9', items: [], total: '1499.90', currency: 'RUB' },
		} as TimelineEvent;
		expect(describeEvent(purchase)).toMatch(/^Purchase at the counter, receipt R-9 · RUB\s?1,499\.90$/);
		expect(t('timeline.linkExpires', { date: 'x' })).toBe('Valid until x');
	});
});

describe('bitrix-app identity events', () => {
	it('names the identifier type in words', () => {
		const linked = {
			...envelope,
			type: 'identity.linked',
			channel: 'bitrix24',
			data: { type: 'bitrix24_contact', value: '1', method: 'host' },
		} as TimelineEvent;
		language.value = 'ru';
		expect(describeEvent(linked)).toBe('Привязан Контакт Битрикс24: 1');
		language.value = 'en';
	});
});
