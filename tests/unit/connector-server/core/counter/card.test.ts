import { describe, expect, it } from 'vitest';
import { maskIdentity, maskPhone } from '../../../../../connector-server/src/core/counter/card.ts';

describe('card masking', () => {
	it('keeps a phone recognisable to its owner only', () => {
		expect(maskPhone('+79161234567')).toBe('+7 *** ***-**-67');
		expect(maskPhone('+375291234567')).toBe('+375 *** ***-**-67');
	});

	it('masks emails, and shows platform ids and loyalty numbers as they are', () => {
		expect(maskIdentity('email', 'anna.petrova@mail.ru')).toBe('a***@mail.ru');
		expect(maskIdentity('loyalty_card', '2000000000008')).toBe('2000000000008');
		expect(maskIdentity('telegram', '4242')).toBe('4242');
	});
});
