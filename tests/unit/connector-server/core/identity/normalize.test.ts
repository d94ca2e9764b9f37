import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../../../../connector-server/src/core/identity/normalize.ts';

describe('normalizeIdentifier: phones (E.164, default region RU)', () => {
	it.each([
		['8 (912) 345-67-89', '+79123456789'],
		['+7 912 345 67 89', '+79123456789'],
		['89123456789', '+79123456789'],
		['9123456789', '+79123456789'],
		['+7 (912) 345-67-89 доб. 123', '+79123456789'],
		['+7 912 345-67-89 ext. 5', '+79123456789'],
		['+375 29 123-45-67', '+375291234567'],
	])('%s → %s', (raw, expected) => {
		expect(normalizeIdentifier('phone', raw)).toEqual({ ok: true, type: 'phone', value: expected });
	});

	it.each(['+7 999 999-99-99', '8 000 000 00 00', '+7 900 000-00-00', '+7 123 456-78-90', 'abc', '123', ''])(
		'rejects junk or invalid %j',
		(raw) => {
			expect(normalizeIdentifier('phone', raw).ok).toBe(false);
		},
	);
});

describe('normalizeIdentifier: emails', () => {
	it('lower-cases and trims', () => {
		expect(normalizeIdentifier('email', '  Anna.Petrova@Yandex.RU ')).toEqual({
			ok: true,
			type: 'email',
			value: 'anna.petrova@yandex.ru',
		});
	});

	it.each([
		'test@test.com',
		'noemail@mail.ru',
		'user@example.com',
		'aaaa@gmail.com',
		'no@no.ru',
		'not-an-email',
		'a@b',
	])('rejects placeholder or invalid %s', (raw) => {
		expect(normalizeIdentifier('email', raw).ok).toBe(false);
	});
});

describe('normalizeIdentifier: platform ids and INN', () => {
	it('keeps platform ids as given, trimmed', () => {
		expect(normalizeIdentifier('telegram', ' 123456789 ')).toEqual({
			ok: true,
			type: 'telegram',
			value: '123456789',
		});
	});

	it('rejects empty-looking and malformed platform ids', () => {
		expect(normalizeIdentifier('vk', '0').ok).toBe(false);
		expect(normalizeIdentifier('vk', 'id with spaces').ok).toBe(false);
	});

	it('accepts 10- and 12-digit INNs only', () => {
		expect(normalizeIdentifier('inn', '7707083893').ok).toBe(true);
		expect(normalizeIdentifier('inn', '500100732259').ok).toBe(true);
		expect(normalizeIdentifier('inn', '12345').ok).toBe(false);
	});
});
