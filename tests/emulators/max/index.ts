import {
	type Clock,
	createEmulatorBase,
	type FaultInjector,
	listen,
	type RequestLog,
	systemClock,
	TokenBucket,
} from '../kit/index.ts';
import { type MaxAuthMode, mountMaxRoutes } from './api-routes.ts';
import { MaxState } from './state.ts';
import { MaxUserPlayer, type MaxUserProfile } from './user.ts';
import { defaultMaxWebhook, type MaxWebhookOptions, MaxWebhookPusher } from './webhook-pusher.ts';

export type { MaxAuthMode } from './api-routes.ts';
export type { MaxDelivery, MaxDialog, MaxSentMessage, MaxState } from './state.ts';
export type * from './types.ts';
export type { MaxUserPlayer, MaxUserProfile } from './user.ts';
export type { MaxWebhookOptions } from './webhook-pusher.ts';

export interface MaxEmulatorOptions {
	token?: string;
	botName?: string;
	botUsername?: string;
	/**
	 * Default `header`: "Передача токена через query-параметры больше не поддерживается — используйте
	 * заголовок Authorization" (dev.max.ru/docs-api). `both` or `query` emulate the older API.
	 */
	auth?: MaxAuthMode;
	clock?: Clock;
	/** Requests per second per bot; default 30 (channels.md §4). */
	requestsPerSecond?: number;
	/** Message text limit; default 4000. */
	maxTextLength?: number;
	webhook?: Partial<MaxWebhookOptions>;
	port?: number;
}

export interface MaxEmulator {
	/** Base URL for `baseUrl` in clients (no trailing slash). */
	readonly url: string;
	readonly token: string;
	readonly state: MaxState;
	readonly requests: RequestLog;
	/** Targets: `<METHOD> <path>` (e.g. `POST /messages`), and `webhook` for deliveries. */
	readonly faults: FaultInjector;
	user(profile: MaxUserProfile): MaxUserPlayer;
	webhookIdle(): Promise<void>;
	close(): Promise<void>;
}

export const defaultMaxToken = 'max-emulator-token-0123456789abcdef';

/** Starts a MAX bot API emulator on 127.0.0.1. */
export async function startMaxEmulator(options: MaxEmulatorOptions = {}): Promise<MaxEmulator> {
	const clock = options.clock ?? systemClock;
	const token = options.token ?? defaultMaxToken;
	const base = createEmulatorBase();
	const state = new MaxState(
		token,
		{
			user_id: 9_000_001,
			first_name: options.botName ?? 'Nitka Test Bot',
			username: options.botUsername ?? 'nitka_test_bot',
			is_bot: true,
			last_activity_time: clock.now(),
			name: options.botName ?? 'Nitka Test Bot',
			description: null,
			commands: null,
		},
		clock,
	);
	const rps = options.requestsPerSecond ?? 30;
	const pusher = new MaxWebhookPusher(state, base.faults, { ...defaultMaxWebhook, ...options.webhook });
	state.onPush(() => pusher.kick());
	mountMaxRoutes(base.app, {
		state,
		faults: base.faults,
		bucket: new TokenBucket(rps, rps, clock),
		pusher,
		auth: options.auth ?? 'header',
		maxTextLength: options.maxTextLength ?? 4000,
	});
	const running = await listen(base.app, options.port);
	return {
		url: running.url,
		token,
		state,
		requests: base.requests,
		faults: base.faults,
		user: (profile) => new MaxUserPlayer(profile, state),
		webhookIdle: () => pusher.idle(),
		close: async () => {
			await pusher.stop();
			await running.close();
		},
	};
}
