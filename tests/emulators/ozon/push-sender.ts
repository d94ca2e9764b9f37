import type { Clock } from '../kit/index.ts';
import { postPush } from '../marketplace-common/push-delivery.ts';
import type { OzonPushDelivery, OzonPushMessage } from './push-types.ts';
import { judgeOzonAnswer } from './push-verdict.ts';

export interface OzonPushOptions {
	clock: Clock;
	/** Ozon suspends pushes to a receiver slower than 5 s (research §5.5). */
	deadlineMs: number;
	/** Real-time abort for a receiver that never answers; default the deadline. */
	abortAfterMs?: number;
	/** Below this share of OK answers Ozon suspends the subscription (research: fewer than half). */
	minOkShare: number;
	/** Deliveries seen before the OK-share rule applies, so one early failure does not suspend. */
	minSample: number;
}

export const ozonDefaultPushOptions = { deadlineMs: 5_000, minOkShare: 0.5, minSample: 10 } as const;

/**
 * Sends Ozon push notifications to the registered URL and records whether the receiver honoured the
 * contract. A late answer, or too few OK answers, suspends the subscription until the URL is re-registered
 * (which Ozon confirms with a TYPE_PING), as the seller cabinet does.
 */
export class OzonPushSender {
	readonly deliveries: OzonPushDelivery[] = [];
	#url: string | undefined;
	#suspended: string | null = null;
	readonly #pending = new Set<Promise<unknown>>();

	constructor(private readonly options: OzonPushOptions) {}

	get url(): string | undefined {
		return this.#url;
	}

	/** Why pushes stopped, or null while they flow. */
	get suspendedReason(): string | null {
		return this.#suspended;
	}

	/** Registers the URL the way the cabinet does: a TYPE_PING that must pass, else the URL is refused. */
	async register(url: string): Promise<OzonPushDelivery> {
		const ping: OzonPushMessage = {
			message_type: 'TYPE_PING',
			time: new Date(this.options.clock.now()).toISOString(),
		};
		const delivery = await this.#deliver(url, ping, 1);
		if (delivery.verdict === 'OK') {
			this.#url = url;
			this.#suspended = null;
		}
		return delivery;
	}

	unregister(): void {
		this.#url = undefined;
	}

	/** Sends one message if a receiver is registered and not suspended; the promise is also tracked by `idle()`. */
	send(message: OzonPushMessage): Promise<OzonPushDelivery | undefined> {
		const url = this.#url;
		if (!url || this.#suspended) return Promise.resolve(undefined);
		const job = this.#deliver(url, message, 1).then((d) => {
			this.#judgeSubscription(d);
			return d;
		});
		this.#pending.add(job);
		void job.finally(() => this.#pending.delete(job));
		return job;
	}

	/** Resends every message whose latest attempt failed (Ozon retries with growing intervals). */
	async redeliverFailed(): Promise<OzonPushDelivery[]> {
		const latest = new Map<OzonPushMessage, OzonPushDelivery>();
		for (const d of this.deliveries) latest.set(d.message, d);
		const failed = [...latest.values()].filter(
			(d) => d.verdict !== 'OK' && d.message.message_type !== 'TYPE_PING',
		);
		const url = this.#url;
		if (!url || this.#suspended) return [];
		return await Promise.all(failed.map((d) => this.#deliver(url, d.message, d.attempt + 1)));
	}

	/** Resolves once every push sent so far has been answered or timed out. */
	async idle(): Promise<void> {
		while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
	}

	async #deliver(url: string, message: OzonPushMessage, attempt: number): Promise<OzonPushDelivery> {
		const answer = await postPush(url, message, {
			clock: this.options.clock,
			deadlineMs: this.options.deadlineMs,
			...(this.options.abortAfterMs === undefined ? {} : { abortAfterMs: this.options.abortAfterMs }),
		});
		const verdict = judgeOzonAnswer(message, answer);
		const delivery: OzonPushDelivery = {
			message,
			attempt,
			status: answer.status,
			responseText: answer.text,
			elapsedMs: answer.elapsedMs,
			metDeadline: !answer.late,
			metContract: verdict === 'OK',
			verdict,
		};
		this.deliveries.push(delivery);
		return delivery;
	}

	#judgeSubscription(delivery: OzonPushDelivery): void {
		if (!delivery.metDeadline) {
			this.#suspended = `receiver took ${delivery.elapsedMs} ms (> ${this.options.deadlineMs} ms)`;
			return;
		}
		const events = this.deliveries.filter((d) => d.message.message_type !== 'TYPE_PING');
		if (events.length < this.options.minSample) return;
		const ok = events.filter((d) => d.verdict === 'OK').length;
		if (ok / events.length < this.options.minOkShare) {
			this.#suspended = `only ${ok} of ${events.length} pushes answered OK`;
		}
	}
}
