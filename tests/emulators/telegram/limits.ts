import { type Clock, systemClock, TokenBucket } from '../kit/index.ts';
import { type TelegramApiError, tooManyRequests } from './errors.ts';

/**
 * Outbound message limits from the Bots FAQ (channels.md §1.5). Telegram publishes no exact burst
 * sizes ("we may allow short bursts"), so bursts are knobs; the sustained rates are the documented ones.
 */
export interface TelegramLimitOptions {
	/** Messages to one private chat: sustained 1/s, with a short burst. */
	perChat: { burst: number; perSecond: number };
	/** Messages to one group (negative chat id): 20 per minute. */
	perGroup: { burst: number; perMinute: number };
	/** All messages of one bot: about 30/s ("bulk notifications"). */
	perBot: { burst: number; perSecond: number };
	/** `allow_paid_broadcast: true` lifts the bot-wide limit to 1000/s. */
	paidBroadcastPerSecond: number;
}

export const defaultTelegramLimits: TelegramLimitOptions = {
	perChat: { burst: 3, perSecond: 1 },
	perGroup: { burst: 20, perMinute: 20 },
	perBot: { burst: 30, perSecond: 30 },
	paidBroadcastPerSecond: 1000,
};

export class TelegramLimits {
	readonly #buckets = new Map<string, TokenBucket>();

	constructor(
		readonly options: TelegramLimitOptions = defaultTelegramLimits,
		private readonly clock: Clock = systemClock,
	) {}

	#bucket(key: string, capacity: number, perSecond: number): TokenBucket {
		let bucket = this.#buckets.get(key);
		if (!bucket) {
			bucket = new TokenBucket(capacity, perSecond, this.clock);
			this.#buckets.set(key, bucket);
		}
		return bucket;
	}

	/**
	 * Counts one outgoing message, or returns the 429 Telegram would answer. Every applicable bucket is
	 * checked before any is charged, so a rejected message costs nothing.
	 */
	charge(token: string, chatId: number, paidBroadcast: boolean): TelegramApiError | undefined {
		const { perChat, perGroup, perBot, paidBroadcastPerSecond } = this.options;
		const buckets = [
			chatId < 0
				? this.#bucket(`group:${token}:${chatId}`, perGroup.burst, perGroup.perMinute / 60)
				: this.#bucket(`chat:${token}:${chatId}`, perChat.burst, perChat.perSecond),
			paidBroadcast
				? this.#bucket(`paid:${token}`, paidBroadcastPerSecond, paidBroadcastPerSecond)
				: this.#bucket(`bot:${token}`, perBot.burst, perBot.perSecond),
		];
		let waitMs = 0;
		for (const bucket of buckets) {
			const missing = 1 - bucket.available;
			if (missing > 0) waitMs = Math.max(waitMs, (missing / bucket.refillPerSecond) * 1000);
		}
		if (waitMs > 0) return tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
		for (const bucket of buckets) bucket.tryTake();
		return undefined;
	}
}
