import type { Clock } from '../kit/index.ts';
import { isServiceAnswer, postPush } from '../marketplace-common/push-delivery.ts';

export interface YmNotification {
	notificationType: string;
	[field: string]: unknown;
}

/** Why a delivery failed (Market publishes no codes for this; the names are ours). */
export type YmNotificationVerdict =
	| 'OK'
	| 'TIMEOUT'
	| 'NETWORK_ERROR'
	| 'WRONG_STATUS'
	| 'INVALID_ANSWER'
	| 'INVALID_TIME';

export interface YmNotificationDelivery {
	notification: YmNotification;
	status: number | null;
	responseText: string;
	elapsedMs: number;
	metDeadline: boolean;
	metContract: boolean;
	verdict: YmNotificationVerdict;
	/** `error.type` from a 400/500 answer (UNKNOWN, WRONG_EVENT_FORMAT, DUPLICATED_EVENT). */
	errorType: string | null;
}

export interface YmNotificationOptions {
	clock: Clock;
	/** Market waits 10 s for a notification and 1 s for PING (research §7.4). */
	deadlineMs: number;
	pingDeadlineMs: number;
	abortAfterMs?: number;
}

export const ymDefaultNotificationOptions = { deadlineMs: 10_000, pingDeadlineMs: 1_000 } as const;

/**
 * Sends API notifications as `POST <url>/notification` and judges each answer: 200 with `{version, name, time}`
 * within the deadline; anything else counts as an error, like Market treats it.
 */
export class YmNotificationSender {
	readonly deliveries: YmNotificationDelivery[] = [];
	#url: string | undefined;
	readonly #pending = new Set<Promise<unknown>>();

	constructor(private readonly options: YmNotificationOptions) {}

	get url(): string | undefined {
		return this.#url;
	}

	/** Registers the receiver's base URL after a PING it must answer correctly within 1 s. */
	async register(url: string): Promise<YmNotificationDelivery> {
		const ping = await this.#deliver(url, {
			notificationType: 'PING',
			time: new Date(this.options.clock.now()).toISOString(),
		});
		if (ping.verdict === 'OK') this.#url = url;
		return ping;
	}

	send(notification: YmNotification): Promise<YmNotificationDelivery | undefined> {
		const url = this.#url;
		if (!url) return Promise.resolve(undefined);
		const job = this.#deliver(url, notification);
		this.#pending.add(job);
		void job.finally(() => this.#pending.delete(job));
		return job;
	}

	async idle(): Promise<void> {
		while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
	}

	async #deliver(base: string, notification: YmNotification): Promise<YmNotificationDelivery> {
		const deadlineMs =
			notification.notificationType === 'PING' ? this.options.pingDeadlineMs : this.options.deadlineMs;
		const answer = await postPush(`${base.replace(/\/$/, '')}/notification`, notification, {
			clock: this.options.clock,
			deadlineMs,
			abortAfterMs: this.options.abortAfterMs ?? deadlineMs,
		});
		let verdict: YmNotificationVerdict = 'OK';
		if (answer.late) verdict = 'TIMEOUT';
		else if (answer.status === null) verdict = 'NETWORK_ERROR';
		else if (answer.status !== 200) verdict = 'WRONG_STATUS';
		else {
			const check = isServiceAnswer(answer.json);
			if (check === 'fields') verdict = 'INVALID_ANSWER';
			if (check === 'time') verdict = 'INVALID_TIME';
		}
		const error = (answer.json as { error?: { type?: unknown } } | undefined)?.error;
		const delivery: YmNotificationDelivery = {
			notification,
			status: answer.status,
			responseText: answer.text,
			elapsedMs: answer.elapsedMs,
			metDeadline: !answer.late,
			metContract: verdict === 'OK',
			verdict,
			errorType: typeof error?.type === 'string' ? error.type : null,
		};
		this.deliveries.push(delivery);
		return delivery;
	}
}
