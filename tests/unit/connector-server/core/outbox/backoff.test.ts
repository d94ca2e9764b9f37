import { describe, expect, it } from 'vitest';
import { nextDelayMs } from '../../../../../connector-server/src/core/outbox/backoff.ts';

describe('nextDelayMs', () => {
	it('grows exponentially with the attempt, jitter taken from the random source', () => {
		const max = () => 0.999999;
		expect(nextDelayMs(1, { baseMs: 1000, random: max })).toBe(1999);
		expect(nextDelayMs(3, { baseMs: 1000, random: max })).toBe(7999);
		expect(nextDelayMs(3, { baseMs: 1000, random: () => 0 })).toBe(0);
	});

	it('never exceeds the cap', () => {
		expect(nextDelayMs(40, { baseMs: 1000, capMs: 60_000, random: () => 0.999999 })).toBeLessThan(60_000);
	});

	it("never goes below the platform's retry-after", () => {
		expect(nextDelayMs(1, { baseMs: 10, random: () => 0, retryAfterMs: 5000 })).toBe(5000);
	});
});
