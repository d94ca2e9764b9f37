import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ean13CheckDigit,
	isLoyaltyNumber,
	isValidEan13,
	loyaltyCandidate,
	normalizeLoyaltyInput,
} from '../../../../../connector-server/src/core/counter/loyalty.ts';

describe('EAN-13 loyalty numbers', () => {
	it('computes the check digit of known barcodes', () => {
		// Printed on real products: 4006381333931 (GS1's example), 4600682000013, 5901234123457.
		expect(ean13CheckDigit('400638133393')).toBe(1);
		expect(ean13CheckDigit('590123412345')).toBe(7);
		expect(isValidEan13('4006381333931')).toBe(true);
		expect(isValidEan13('5901234123457')).toBe(true);
		expect(isValidEan13('5901234123458')).toBe(false);
		expect(isValidEan13('590123412345')).toBe(false);
		expect(isValidEan13('59012341234a7')).toBe(false);
	});

	it('refuses anything but 12 digits for a check digit', () => {
		expect(() => ean13CheckDigit('12345')).toThrow(RangeError);
	});

	it('catches every single-digit typo', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 12 }),
				fc.integer({ min: 0, max: 12 }),
				fc.integer({ min: 1, max: 9 }),
				(first12, position, shift) => {
					const valid = `${first12}${ean13CheckDigit(first12)}`;
					const digits = valid.split('');
					digits[position] = String((Number(digits[position]) + shift) % 10);
					expect(isValidEan13(digits.join(''))).toBe(false);
				},
			),
		);
	});

	it('issues valid in-store numbers (prefix 2), the same for the same customer', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.nat(20), (customerId, attempt) => {
				const number = loyaltyCandidate('tenant', customerId, attempt);
				expect(number).toMatch(/^2\d{12}$/);
				expect(isLoyaltyNumber(number)).toBe(true);
				expect(loyaltyCandidate('tenant', customerId, attempt)).toBe(number);
			}),
		);
	});

	it('gives different customers different numbers', () => {
		const numbers = new Set(
			Array.from({ length: 2000 }, (_, i) => loyaltyCandidate('tenant', `customer-${i}`, 0)),
		);
		expect(numbers.size).toBe(2000);
	});

	it('reads a typed or printed number with spaces and dashes', () => {
		expect(normalizeLoyaltyInput(' 2 000123-456789 ')).toBe('2000123456789');
	});
});
