import {
	type Clock,
	createEmulatorBase,
	type FaultInjector,
	listen,
	type RequestLog,
	systemClock,
} from '../kit/index.ts';
import { mountTelegramRoutes } from './api-routes.ts';
import { defaultTelegramLimits, type TelegramLimitOptions, TelegramLimits } from './limits.ts';
import { BotState, TelegramState } from './state.ts';
import { TelegramUser, type TelegramUserProfile } from './user.ts';
import { defaultWebhookDelivery, type WebhookDeliveryOptions, WebhookPusher } from './webhook-pusher.ts';

export type { TelegramLimitOptions } from './limits.ts';
export type {
	ApiCall,
	BotState,
	ChatRecord,
	DeliveryRecord,
	SentMessage,
	StoredFile,
	TelegramState,
} from './state.ts';
export type * from './types.ts';
export type { TelegramUser, TelegramUserProfile } from './user.ts';
export type { WebhookDeliveryOptions } from './webhook-pusher.ts';
export { webhookFaultTarget } from './webhook-pusher.ts';

export interface TelegramBotOptions {
	/** `<bot id>:<secret>`; the bot id is the user id getMe reports. */
	token: string;
	username?: string;
	firstName?: string;
}

export interface TelegramEmulatorOptions {
	/** Bots the emulator knows; any other token gets 401. Default: one bot, `defaultTelegramToken`. */
	bots?: TelegramBotOptions[];
	/** Time for `date` fields, recorded timestamps and rate limits. */
	clock?: Clock;
	limits?: Partial<TelegramLimitOptions>;
	webhook?: Partial<WebhookDeliveryOptions>;
	/** The first update_id; Telegram starts "from a certain positive number". */
	firstUpdateId?: number;
	port?: number;
}

export interface TelegramEmulator {
	/** API root for clients, e.g. grammY's `apiRoot` (no trailing slash). */
	readonly url: string;
	/** The first bot's token. */
	readonly token: string;
	readonly state: TelegramState;
	readonly requests: RequestLog;
	/** Targets: a method name (`sendMessage`), `file` for downloads, `webhook` for deliveries. */
	readonly faults: FaultInjector;
	bot(token?: string): BotState;
	/** A user in a private chat with the bot (the first bot unless a token is given). */
	user(profile: TelegramUserProfile, token?: string): TelegramUser;
	/** Resolves once every pending webhook delivery has been made, dropped or given up. */
	webhookIdle(): Promise<void>;
	close(): Promise<void>;
}

export const defaultTelegramToken = '7000000001:AAEmulatorTokenForTestsOnly_0123456789';

const botIdOf = (token: string): number => Number(token.split(':')[0]);

/** Starts a Telegram Bot API emulator on 127.0.0.1. */
export async function startTelegramEmulator(
	options: TelegramEmulatorOptions = {},
): Promise<TelegramEmulator> {
	const clock = options.clock ?? systemClock;
	const base = createEmulatorBase();
	const state = new TelegramState(clock);
	const limits = new TelegramLimits({ ...defaultTelegramLimits, ...options.limits }, clock);
	const pusher = new WebhookPusher(state, base.faults, { ...defaultWebhookDelivery, ...options.webhook });
	const firstUpdateId = options.firstUpdateId ?? 852_000_001;
	for (const config of options.bots ?? [{ token: defaultTelegramToken }]) {
		if (!/^\d+:[A-Za-z0-9_-]+$/.test(config.token)) throw new Error(`not a bot token: ${config.token}`);
		const id = botIdOf(config.token);
		const bot = new BotState(
			config.token,
			{
				id,
				is_bot: true,
				first_name: config.firstName ?? 'Nitka Test Bot',
				username: config.username ?? `nitka_${id}_bot`,
			},
			firstUpdateId,
			clock,
		);
		bot.updates.onPush(() => pusher.kick(bot));
		state.bots.set(config.token, bot);
	}
	mountTelegramRoutes(base.app, { state, faults: base.faults, limits, pusher });
	const running = await listen(base.app, options.port);
	const token = state.bot().token;
	return {
		url: running.url,
		token,
		state,
		requests: base.requests,
		faults: base.faults,
		bot: (botToken) => state.bot(botToken),
		user: (profile, botToken) => new TelegramUser(profile, state.bot(botToken), state),
		webhookIdle: () => pusher.idle(),
		close: async () => {
			await pusher.stop();
			for (const bot of state.bots.values()) bot.updates.release();
			await running.close();
		},
	};
}
