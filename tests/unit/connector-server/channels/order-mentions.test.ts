import { describe, expect, it } from 'vitest';
import { orderNumberCandidates } from '../../../../connector-server/src/core/links/order-mentions.ts';

describe('order numbers named in a message', () => {
	it('reads Ozon posting numbers, long marketplace ids and marked shop numbers', () => {
		expect(orderNumberCandidates('где 39271043-0057-1?')).toEqual(['39271043-0057-1']);
		expect(orderNumberCandidates('WB 4412093381, YM 51234567')).toEqual(['4412093381', '51234567']);
		expect(orderNumberCandidates('заказ #1534')).toEqual(['1534']);
		expect(orderNumberCandidates('Заказа № 88 нет')).toEqual(['88']);
		expect(orderNumberCandidates('order 2041 is late')).toEqual(['2041']);
	});

	it('ignores what only looks like a number: quantities, prices, phones with spaces, parts', () => {
		expect(orderNumberCandidates('3 штуки по 1534 рубля')).toEqual([]);
		expect(orderNumberCandidates('+7 916 123 45 67')).toEqual([]);
		expect(orderNumberCandidates('Anna +79161234567')).toEqual([]);
		expect(orderNumberCandidates('39271043-0057')).toEqual([]);
		expect(orderNumberCandidates('2026-11-23')).toEqual([]);
	});

	it('keeps at most five candidates', () => {
		expect(orderNumberCandidates('1234567 2345678 3456789 4567890 5678901 6789012')).toHaveLength(5);
	});
});
