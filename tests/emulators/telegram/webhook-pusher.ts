import type { FaultInjector } from '../kit/index.ts';
import type { BotState, TelegramState } from './state.ts';
import type { TgUpdate } from './types.ts';

/**
 * Retry policy for webhook deliveries. Telegram documents only that non-2xx answers are retried "a
 * reasonable amount of attempts" (§1.2), so every number here is a knob (channels.md §10 item 7).
 */
export interface WebhookDeliveryOptions {
	/** Attempts per update before it is given up. */
	maxAttempts: number;
	/** Delay before the first retry; doubles per attempt up to `maxDelayMs`. */
	initialDelayMs: number;
	maxDelayMs: number;
	/** How long to wait for the bot's answer. */
	timeoutMs: number;
}

export const defaultWebhookDelivery: WebhookDeliveryOptions = {
	maxAttempts: 10,
	initialDelayMs: 1_000,
	maxDelayMs: 60_000,
	timeoutMs: 60_000,
};

/** Fault target for webhook deliveries: `faults.add({ match: 'webhook', fault: { kind: 'drop' } })`. */
export const webhookFaultTarget = 'webhook';

const isLoopback = (url: string): boolean =>
	['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

const reasonPhrases: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/**
 * POSTs each pending update to the bot's webhook, one at a time in update_id order, and keeps an
 * update pending until the bot answers 2xx. Sequential delivery stays within any `max_connections`.
 */
export class WebhookPusher {
	readonly #running = new Map<BotState, Promise<void>>();
	readonly #sleepers = new Set<() => void>();
	#stopped = false;

	constructor(
		private readonly state: TelegramState,
		private readonly faults: FaultInjector,
		private readonly options: WebhookDeliveryOptions,
	) {}

	/** Starts delivering a bot's pending updates if a webhook is set and no delivery loop runs. */
	kick(bot: BotState): void {
		if (this.#stopped || !bot.webhook || this.#running.has(bot)) return;
		const loop = this.#deliverAll(bot).finally(() => {
			this.#running.delete(bot);
			// An update pushed while the loop was finishing still needs a loop.
			if (bot.webhook && bot.updates.pending.length > 0) this.kick(bot);
		});
		this.#running.set(bot, loop);
	}

	/** Resolves when no delivery loop is running (all pending updates delivered, dropped or given up). */
	async idle(): Promise<void> {
		while (this.#running.size > 0) await Promise.all(this.#running.values());
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		for (const wake of this.#sleepers) wake();
		await Promise.allSettled(this.#running.values());
	}

	async #deliverAll(bot: BotState): Promise<void> {
		let attempt = 0;
		while (!this.#stopped && bot.webhook) {
			const update = bot.updates.pending[0];
			if (!update) return;
			const hook = bot.webhook;
			attempt += 1;
			const fault = await this.faults.apply(webhookFaultTarget);
			if (fault?.kind === 'drop') {
				this.#record(bot, update, hook.url, attempt, 'dropped');
				this.#lose(bot, update);
				attempt = 0;
				continue;
			}
			const outcome = await this.#post(update, hook.url, hook.secretToken);
			this.#record(bot, update, hook.url, attempt, outcome.status, hook.secretToken);
			if (typeof outcome.status === 'number' && outcome.status >= 200 && outcome.status < 300) {
				bot.updates.remove(update.update_id);
				attempt = 0;
				continue;
			}
			hook.lastErrorDate = this.state.unixNow();
			hook.lastErrorMessage = outcome.error;
			if (attempt >= this.options.maxAttempts) {
				this.#lose(bot, update);
				attempt = 0;
				continue;
			}
			const delay = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (attempt - 1));
			await this.#sleep(delay);
		}
	}

	async #post(
		update: TgUpdate,
		url: string,
		secret: string | undefined,
	): Promise<{ status: number | 'network-error'; error: string }> {
		// Tests run without network: only loopback webhooks are ever contacted.
		if (!isLoopback(url))
			return { status: 'network-error', error: 'Failed to resolve host: Name or service not known' };
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (secret) headers['x-telegram-bot-api-secret-token'] = secret;
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers,
				body: JSON.stringify(update),
				signal: AbortSignal.timeout(this.options.timeoutMs),
			});
			await response.arrayBuffer().catch(() => undefined);
			const phrase = reasonPhrases[response.status] ?? response.statusText;
			return {
				status: response.status,
				error: `Wrong response from the webhook: ${response.status} ${phrase}`,
			};
		} catch (error) {
			const timedOut = error instanceof Error && error.name === 'TimeoutError';
			return { status: 'network-error', error: timedOut ? 'Read timeout expired' : 'Connection refused' };
		}
	}

	#record(
		bot: BotState,
		update: TgUpdate,
		url: string,
		attempt: number,
		status: number | 'network-error' | 'dropped',
		secretHeader?: string,
	): void {
		bot.deliveries.push({
			update,
			url,
			attempt,
			status,
			at: this.state.clock.now(),
			...(secretHeader ? { secretHeader } : {}),
		});
	}

	#lose(bot: BotState, update: TgUpdate): void {
		bot.updates.remove(update.update_id);
		bot.lostUpdates.push(update);
	}

	async #sleep(ms: number): Promise<void> {
		await new Promise<void>((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				this.#sleepers.delete(wake);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			this.#sleepers.add(wake);
		});
	}
}
