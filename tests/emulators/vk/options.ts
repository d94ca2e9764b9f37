import { type Clock, systemClock } from '../kit/index.ts';

/** Tunables of the VK emulator; every default is VK's real value where VK documents one. */
export interface VkEmulatorOptions {
	/** Port on 127.0.0.1; 0 (default) picks a free one. */
	port?: number;
	/** Time source for rate limits, message dates and the random_id window. */
	clock?: Clock;
	/** Requests per second per community token before error 6 (channels.md §3.2: 20). */
	communityRateLimit?: number;
	/** API calls allowed in one `execute` (§3.2: 25). */
	executeMaxCalls?: number;
	/** `message` length above which messages.send fails with 914 (VK schema `maxLength`: 9000). */
	maxMessageLength?: number;
	/**
	 * How long a random_id stays "used" per community and peer. VK checks uniqueness over the whole
	 * message history (§3.3), hence Infinity.
	 */
	randomIdWindowMs?: number;
	/**
	 * First version whose groups.getById answers `{groups, profiles}`; older versions get a bare
	 * array (vk-api-schema: 5.131 "legacy" array, 5.199 object). The exact cut-over is UNVERIFIED.
	 */
	getByIdObjectSince?: string;
	/** Callback API delivery: attempts and backoff (§3.4: count and intervals UNVERIFIED). */
	callback?: {
		/** Total attempts per event, the first included (default 5). */
		maxAttempts?: number;
		/** Delay before retry n is `retryDelayMs * n` (default 100). */
		retryDelayMs?: number;
		/** Cap on an honoured `Retry-After` (default 3 h, VK's resend window). */
		maxRetryAfterMs?: number;
		/** How long VK waits for an answer (default 10 s; UNVERIFIED). */
		timeoutMs?: number;
	};
	/** Bots Long Poll: the longest `wait` honoured (§3.5: 90) and how many events are kept per community. */
	longPoll?: { maxWaitSeconds?: number; historySize?: number };
}

export type ResolvedVkOptions = Required<Omit<VkEmulatorOptions, 'callback' | 'longPoll'>> & {
	callback: Required<NonNullable<VkEmulatorOptions['callback']>>;
	longPoll: Required<NonNullable<VkEmulatorOptions['longPoll']>>;
};

export function resolveOptions(options: VkEmulatorOptions = {}): ResolvedVkOptions {
	return {
		port: options.port ?? 0,
		clock: options.clock ?? systemClock,
		communityRateLimit: options.communityRateLimit ?? 20,
		executeMaxCalls: options.executeMaxCalls ?? 25,
		maxMessageLength: options.maxMessageLength ?? 9000,
		randomIdWindowMs: options.randomIdWindowMs ?? Number.POSITIVE_INFINITY,
		getByIdObjectSince: options.getByIdObjectSince ?? '5.194',
		callback: {
			maxAttempts: options.callback?.maxAttempts ?? 5,
			retryDelayMs: options.callback?.retryDelayMs ?? 100,
			maxRetryAfterMs: options.callback?.maxRetryAfterMs ?? 3 * 3600 * 1000,
			timeoutMs: options.callback?.timeoutMs ?? 10_000,
		},
		longPoll: {
			maxWaitSeconds: options.longPoll?.maxWaitSeconds ?? 90,
			historySize: options.longPoll?.historySize ?? 1000,
		},
	};
}

/** The version events are rendered in when a community has not chosen one. */
export const DEFAULT_API_VERSION = '5.199';
