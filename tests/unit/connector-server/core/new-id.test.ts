import { describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';

const RANDOM = 16; // a ULID: 10 characters of time, 16 of randomness

describe('newId', () => {
	it('sorts by time, and within one millisecond by the order of the calls', () => {
		const at = Date.UTC(2026, 10, 24);
		// 10,000 ids in one millisecond use the random pool several times over (4 KB a refill).
		const same = Array.from({ length: 10_000 }, () => newId(at));
		expect([...same].sort()).toEqual(same);
		expect(new Set(same).size).toBe(same.length);
		expect(newId(at + 1) > same.at(-1)!).toBe(true);
	});

	it('draws fresh randomness for every new millisecond, across pool refills', () => {
		const randomParts = Array.from({ length: 5_000 }, (_, i) =>
			newId(Date.UTC(2027, 0, 1) + i * 7).slice(-RANDOM),
		);
		expect(new Set(randomParts).size).toBe(randomParts.length);
		// Every one of the 32 Crockford characters turns up at every position (not a stuck byte).
		for (let position = 0; position < RANDOM; position++) {
			expect(new Set(randomParts.map((part) => part[position])).size).toBe(32);
		}
	});
});
