import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../../../../connector-server/src/core/outbox/token-buckets.ts';
import { ManualClock } from '../../../../support/manual-clock.ts';

describe('TokenBuckets', () => {
	it('allows the burst, then one token per 1/rate seconds', () => {
		const clock = new ManualClock();
		const buckets = new TokenBuckets(clock);
		const chat = [{ key: 'chat', capacity: 1, perSecond: 1 }];
		expect(buckets.tryTake(chat).ok).toBe(true);
		const denied = buckets.tryTake(chat);
		expect(denied).toEqual({ ok: false, waitMs: 1000 });
		clock.advance(999);
		expect(buckets.tryTake(chat).ok).toBe(false);
		clock.advance(1);
		expect(buckets.tryTake(chat).ok).toBe(true);
	});

	it('takes from all buckets or from none', () => {
		const clock = new ManualClock();
		const buckets = new TokenBuckets(clock);
		const bot = { key: 'bot', capacity: 30, perSecond: 30 };
		const chatA = { key: 'a', capacity: 1, perSecond: 1 };
		expect(buckets.tryTake([bot, chatA]).ok).toBe(true);
		// chat A is empty: the bot bucket must not lose a token for a send that did not happen.
		for (let i = 0; i < 5; i++) expect(buckets.tryTake([bot, chatA]).ok).toBe(false);
		let sent = 0;
		for (let i = 0; i < 100; i++)
			if (buckets.tryTake([bot, { key: `chat-${i}`, capacity: 1, perSecond: 1 }]).ok) sent++;
		expect(sent).toBe(29);
	});

	it('drain empties a bucket after the platform said to slow down', () => {
		const clock = new ManualClock();
		const buckets = new TokenBuckets(clock);
		const limit = [{ key: 'vk', capacity: 20, perSecond: 20 }];
		buckets.drain(limit);
		expect(buckets.tryTake(limit).ok).toBe(false);
		clock.advance(50);
		expect(buckets.tryTake(limit).ok).toBe(true);
	});
});
