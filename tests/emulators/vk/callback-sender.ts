import type { FaultInjector } from '../kit/index.ts';
import type { CallbackServer, CallbackServerStatus, Community } from './state.ts';
import type { VkEventEnvelope } from './types.ts';

/** One HTTP attempt (or a dropped event) of the Callback API, for assertions. */
export interface CallbackDelivery {
	groupId: number;
	serverId: number;
	type: string;
	event_id: string;
	/** 1 for the first attempt. */
	attempt: number;
	/** The `X-Retry-Counter` header sent, absent on the first attempt. */
	retryCounter?: number;
	outcome: 'ok' | 'rejected' | 'network-error' | 'dropped';
	status?: number;
	body?: string;
}

export interface CallbackSenderOptions {
	maxAttempts: number;
	retryDelayMs: number;
	maxRetryAfterMs: number;
	timeoutMs: number;
}

/** Statuses after which VK honours `Retry-After` (channels.md §3.4). */
const RETRY_AFTER_STATUSES = new Set([410, 429, 503]);

/**
 * VK's side of the Callback API: the confirmation handshake and event delivery, resent with
 * `X-Retry-Counter` until the server answers plain `ok` or the attempts run out.
 */
export class CallbackSender {
	readonly deliveries: CallbackDelivery[] = [];
	readonly #inFlight = new Set<Promise<void>>();
	/** Pending backoff sleeps; close() ends them early so no delivery outlives the emulator. */
	readonly #sleepers = new Set<() => void>();
	#closed = false;

	constructor(
		private readonly options: CallbackSenderOptions,
		private readonly faults: FaultInjector,
	) {}

	/** Sends `{type: "confirmation", group_id}` and expects the community's code as the raw body. */
	async confirm(community: Community, server: CallbackServer): Promise<CallbackServerStatus> {
		server.status = 'wait';
		// The handshake carries the secret too: receivers such as vk-io check it before anything else.
		const payload = {
			type: 'confirmation',
			group_id: community.id,
			...(server.secret_key ? { secret: server.secret_key } : {}),
		};
		const answer = await this.#post(server.url, payload, undefined);
		server.status = answer.ok && answer.body.trim() === community.confirmationCode ? 'ok' : 'failed';
		return server.status;
	}

	/** Delivers one event in the background; `idle()` resolves when every delivery has settled. */
	deliver(server: CallbackServer, envelope: VkEventEnvelope): void {
		const run = this.#deliver(server, envelope).finally(() => this.#inFlight.delete(run));
		this.#inFlight.add(run);
	}

	async idle(): Promise<void> {
		while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
	}

	close(): void {
		this.#closed = true;
		for (const wake of [...this.#sleepers]) wake();
	}

	async #deliver(server: CallbackServer, envelope: VkEventEnvelope): Promise<void> {
		const base = {
			groupId: envelope.group_id,
			serverId: server.id,
			type: envelope.type,
			event_id: envelope.event_id,
		};
		const fault = await this.faults.apply(envelope.type);
		if (fault?.kind === 'drop') {
			this.deliveries.push({ ...base, attempt: 1, outcome: 'dropped' });
			return;
		}
		for (let attempt = 1; attempt <= this.options.maxAttempts && !this.#closed; attempt++) {
			const retryCounter = attempt > 1 ? attempt - 1 : undefined;
			const answer = await this.#post(server.url, envelope, retryCounter);
			const accepted = answer.status === 200 && answer.body.trim() === 'ok';
			this.deliveries.push({
				...base,
				attempt,
				...(retryCounter === undefined ? {} : { retryCounter }),
				outcome: accepted ? 'ok' : answer.status === undefined ? 'network-error' : 'rejected',
				...(answer.status === undefined ? {} : { status: answer.status, body: answer.body }),
			});
			if (accepted || attempt === this.options.maxAttempts) return;
			await this.#sleep(this.#delayBefore(attempt, answer));
		}
	}

	#delayBefore(attempt: number, answer: { status?: number; retryAfter?: string }): number {
		const seconds = Number(answer.retryAfter);
		if (answer.status !== undefined && RETRY_AFTER_STATUSES.has(answer.status) && Number.isFinite(seconds)) {
			return Math.min(seconds * 1000, this.options.maxRetryAfterMs);
		}
		return this.options.retryDelayMs * attempt;
	}

	async #post(
		url: string,
		payload: object,
		retryCounter: number | undefined,
	): Promise<{ ok: boolean; status?: number; body: string; retryAfter?: string }> {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (retryCounter !== undefined) headers['x-retry-counter'] = String(retryCounter);
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers,
				body: JSON.stringify(payload),
				signal: AbortSignal.timeout(this.options.timeoutMs),
			});
			const body = await response.text();
			const retryAfter = response.headers.get('retry-after') ?? undefined;
			return { ok: response.ok, status: response.status, body, ...(retryAfter ? { retryAfter } : {}) };
		} catch {
			return { ok: false, body: '' };
		}
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
