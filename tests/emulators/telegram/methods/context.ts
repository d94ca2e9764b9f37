import type { TelegramLimits } from '../limits.ts';
import type { Params } from '../params.ts';
import type { BotState, TelegramState } from '../state.ts';
import type { WebhookPusher } from '../webhook-pusher.ts';

/** What a Bot API method handler gets. */
export interface MethodContext {
	bot: BotState;
	state: TelegramState;
	params: Params;
	limits: TelegramLimits;
	pusher: WebhookPusher;
	/** Aborted when the client goes away (ends a long poll early). */
	signal: AbortSignal;
}

/** A result with the optional `description` Telegram adds to some successes ("Webhook was set"). */
export class Described {
	constructor(
		readonly result: unknown,
		readonly description: string,
	) {}
}

export type MethodHandler = (context: MethodContext) => unknown;
