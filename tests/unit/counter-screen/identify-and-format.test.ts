import type { TimelineEvent } from '@nitka/shared';
import { describe, expect, it } from 'vitest';
import {
	eventSummary,
	loyaltyGroups,
	parseMoney,
	pickupContents,
	pickupSummary,
} from '../../../connector-server/counter-screen/src/format.ts';
import { dictionary } from '../../../connector-server/counter-screen/src/i18n.ts';
import { identifyRequestFor } from '../../../connector-server/counter-screen/src/identify.ts';

describe('what the counter screen makes of a scanned or typed value', () => {
	it('sends a QR token as a QR, 13 digits as a loyalty number, other digits as a phone', () => {
		const token = `nq1.${'a'.repeat(120)}.${'b'.repeat(43)}`;
		expect(identifyRequestFor(`  ${token}\n`)).toEqual({ qr: token });
		expect(identifyRequestFor('2870279894710')).toEqual({ loyalty: '2870279894710' });
		expect(identifyRequestFor('2 870279 894710')).toEqual({ loyalty: '2870279894710' });
		expect(identifyRequestFor('+7 (916) 123-45-67')).toEqual({ phone: '+7 (916) 123-45-67' });
		expect(identifyRequestFor('89161234567')).toEqual({ phone: '89161234567' });
		// Someone else's QR (a web link): the server says it is not ours.
		expect(identifyRequestFor('https://example.com/x')).toEqual({ qr: 'https://example.com/x' });
		expect(identifyRequestFor('   ')).toBeNull();
	});

	it('puts back a token a scanner typed on the Russian layout or with Caps Lock on', () => {
		const token = 'nq1.eyJ0IjoiMDFK-x_Z9.Ab3_-zQ';
		const ru = [...token]
			.map((c) => {
				const at = 'qwertyuiopasdfghjklzxcvbnm'.indexOf(c.toLowerCase());
				if (c === '.') return 'ю';
				if (at < 0) return c;
				const cyr = 'йцукенгшщзфывапролдячсмить'[at]!;
				return c === c.toLowerCase() ? cyr : cyr.toUpperCase();
			})
			.join('');
		expect(ru.startsWith('тй1ю')).toBe(true);
		expect(identifyRequestFor(ru)).toEqual({ qr: token });
		const caps = token.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
		expect(identifyRequestFor(caps)).toEqual({ qr: token });
		// Russian layout and Caps Lock together.
		const both = ru.replace(/[а-яё]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
		expect(both.startsWith('ТЙ1Ю')).toBe(true);
		expect(identifyRequestFor(both)).toEqual({ qr: token });
		expect(identifyRequestFor('Тверская')).toEqual({ qr: 'Тверская' });
	});

	it('reads amounts the way staff type them', () => {
		expect(parseMoney('1 250,5')).toBe('1250.50');
		expect(parseMoney('1250.50 ₽')).toBe('1250.50');
		expect(parseMoney('99')).toBe('99.00');
		expect(parseMoney('-5')).toBeNull();
		expect(parseMoney('12.345')).toBeNull();
		expect(parseMoney('abc')).toBeNull();
		expect(loyaltyGroups('2870279894710')).toBe('2 870279 894710');
	});

	it('summarises events in both languages, customer text untouched', () => {
		const event = {
			id: '01J00000000000000000000000',
			tenantId: '01J00000000000000000000001',
			customerId: '01J00000000000000000000002',
			occurredAt: '2026-11-23T10:00:00Z',
			recordedAt: '2026-11-23T10:00:00Z',
			sourceKey: 'k',
			channel: 'telegram',
			type: 'message.in',
			data: { text: '<b>Привет</b>' },
		} as unknown as TimelineEvent;
		expect(eventSummary('ru', dictionary('ru'), event)).toBe('Сообщение от покупателя: <b>Привет</b>');
		const status = {
			...event,
			type: 'order.status_changed',
			data: { number: 'W-1', to: 'ready_for_pickup' },
		} as unknown as TimelineEvent;
		expect(eventSummary('en', dictionary('en'), status)).toBe('Order status: W-1 → ready for pickup');
		expect(eventSummary('ru', dictionary('ru'), status)).toBe('Статус заказа: W-1 → готов к выдаче');
		// A pickup names the order handed over (events from before the number was recorded: no number).
		const pickup = {
			...event,
			channel: 'pos',
			type: 'pos.pickup',
			data: { orderId: '01J0000000000000000000000X', orderNumber: 'W-1001', locationId: 'l' },
		} as unknown as TimelineEvent;
		expect(eventSummary('ru', dictionary('ru'), pickup)).toBe('Выдача заказа: Заказ W-1001');
		expect(eventSummary('en', dictionary('en'), pickup)).toBe('Order collected: Order W-1001');
		const old = { ...pickup, data: { orderId: 'x', locationId: 'l' } } as unknown as TimelineEvent;
		expect(eventSummary('en', dictionary('en'), old)).toBe('Order collected');
	});

	it('says what a pickup holds: items and total, or nothing when unknown', () => {
		const pickup = {
			items: [
				{ name: 'Чай', quantity: 2, price: '450.00' },
				{ name: 'Мёд', quantity: 1, price: '300.00' },
			],
			total: '1200.00',
			currency: 'RUB',
		};
		expect(pickupContents('ru', dictionary('ru'), pickup)).toEqual({
			lines: ['Чай × 2', 'Мёд × 1'],
			total: 'Итого 1\u00a0200,00\u00a0₽',
		});
		expect(pickupSummary('en', dictionary('en'), pickup)).toBe('Чай × 2, Мёд × 1 · Total RUB\u00a01,200.00');
		expect(pickupSummary('en', dictionary('en'), { items: [], total: null, currency: null })).toBe('');
		const long = {
			items: [{ name: 'x'.repeat(300), quantity: 1, price: '1.00' }],
			total: null,
			currency: null,
		};
		expect(pickupSummary('ru', dictionary('ru'), long)).toHaveLength(160);
	});
});
