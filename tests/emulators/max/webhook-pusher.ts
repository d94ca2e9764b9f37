import type { FaultInjector } from '../kit/index.ts';
import type { MaxState } from './state.ts';

/**
 * MAX documents that the bot must answer HTTP 200; the retry schedule is UNVERIFIED
 * (channels.md §4, §10 item 6), so attempts and delays are knobs. The POST /subscriptions page is
 * reported (3p, docs/emulators.md) to say a bot is unsubscribed after 8 hours without a successful
 * answer; the emulator does that on its clock.
 */
export interface MaxWebhookOptions {
	maxAttempts: number;
	retryDelayMs: number;
	timeoutMs: number;
	/** A subscription failing for this long (emulator clock) is removed; default 8 hours. */
	unsubscribeAfterMs: number;
}

export const defaultMaxWebhook: MaxWebhookOptions = {
	maxAttempts: 10,
	retryDelayMs: 30_000,
	timeoutMs: 30_000,
	unsubscribeAfterMs: 8 * 60 * 60 * 1000,
};

const isLoopback = (url: string): boolean =>
	['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/** POSTs each pending update to the first subscription, in order, with `X-Max-Bot-Api-Secret`. */
export class MaxWebhookPusher {
	#running: Promise<void> | undefined;
	#stopped = false;
	/** When the current run of failed deliveries to a subscription URL began (emulator clock). */
	readonly #failingSince = new Map<string, number>();
	readonly #timers = new Set<() => void>();

	constructor(
		private readonly state: MaxState,
		private readonly faults: FaultInjector,
		private readonly options: MaxWebhookOptions,
	) {}

	kick(): void {
		if (this.#stopped || this.#running || this.state.subscriptions.length === 0) return;
		this.#running = this.#loop().finally(() => {
			this.#running = undefined;
			if (this.state.subscriptions.length > 0 && this.state.peek()) this.kick();
		});
	}

	async idle(): Promise<void> {
		while (this.#running) await this.#running;
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		for (const wake of this.#timers) wake();
		await this.#running;
	}

	async #loop(): Promise<void> {
		let attempt = 0;
		while (!this.#stopped) {
			const subscription = this.state.subscriptions[0];
			const update = this.state.peek();
			if (!subscription || !update) return;
			attempt += 1;
			const base = { update, url: subscription.url, attempt };
			if ((await this.faults.apply('webhook'))?.kind === 'drop') {
				this.state.deliveries.push({ ...base, status: 'dropped' });
				this.state.lostUpdates.push(this.state.shift()!);
				attempt = 0;
				continue;
			}
			const status = await this.#post(subscription.url, subscription.secret, JSON.stringify(update));
			this.state.deliveries.push({
				...base,
				status,
				...(subscription.secret ? { secretHeader: subscription.secret } : {}),
			});
			// MAX expects exactly HTTP 200.
			if (status === 200) this.#failingSince.delete(subscription.url);
			else if (this.#expire(subscription.url)) {
				attempt = 0;
				continue;
			}
			if (status === 200 || attempt >= this.options.maxAttempts) {
				const done = this.state.shift()!;
				if (status !== 200) this.state.lostUpdates.push(done);
				attempt = 0;
				continue;
			}
			await new Promise<void>((resolve) => {
				const wake = () => {
					clearTimeout(timer);
					this.#timers.delete(wake);
					resolve();
				};
				const timer = setTimeout(wake, this.options.retryDelayMs);
				this.#timers.add(wake);
			});
		}
	}

	/** Counts a failure; removes the subscription once it has failed for `unsubscribeAfterMs`. */
	#expire(url: string): boolean {
		const now = this.state.clock.now();
		const since = this.#failingSince.get(url) ?? now;
		this.#failingSince.set(url, since);
		if (now - since < this.options.unsubscribeAfterMs) return false;
		this.#failingSince.delete(url);
		const index = this.state.subscriptions.findIndex((item) => item.url === url);
		if (index >= 0) this.state.subscriptions.splice(index, 1);
		this.state.unsubscribed.push(url);
		return true;
	}

	async #post(url: string, secret: string | undefined, body: string): Promise<number | 'network-error'> {
		if (!isLoopback(url)) return 'network-error';
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (secret) headers['x-max-bot-api-secret'] = secret;
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers,
				body,
				signal: AbortSignal.timeout(this.options.timeoutMs),
			});
			await response.arrayBuffer().catch(() => undefined);
			return response.status;
		} catch {
			return 'network-error';
		}
	}
}
