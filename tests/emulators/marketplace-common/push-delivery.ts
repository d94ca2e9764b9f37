import type { Clock } from '../kit/index.ts';

/** What came back from one outbound push POST, timed on the emulator's clock. */
export interface PushAttempt {
	status: number | null;
	contentType: string;
	text: string;
	/** Parsed body when it is JSON. */
	json: unknown;
	elapsedMs: number;
	/** Aborted by the real timeout, or the clock says it took longer than the deadline. */
	late: boolean;
	/** Network failure other than a timeout. */
	error: string | null;
}

export interface PushPostOptions {
	clock: Clock;
	/** The platform's deadline, judged on `clock` (so a test can make a reply late by advancing it). */
	deadlineMs: number;
	/** Real-time abort, so a receiver that never answers does not hang the test; default `deadlineMs`. */
	abortAfterMs?: number;
	headers?: Record<string, string>;
}

/** POSTs one JSON notification the way a marketplace does and measures the receiver against the deadline. */
export async function postPush(url: string, body: unknown, options: PushPostOptions): Promise<PushAttempt> {
	const startedAt = options.clock.now();
	const signal = AbortSignal.timeout(options.abortAfterMs ?? options.deadlineMs);
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...options.headers },
			body: JSON.stringify(body),
			signal,
		});
		const text = await res.text();
		const elapsedMs = options.clock.now() - startedAt;
		return {
			status: res.status,
			contentType: res.headers.get('content-type') ?? '',
			text,
			json: parseJson(text),
			elapsedMs,
			late: elapsedMs > options.deadlineMs,
			error: null,
		};
	} catch (error) {
		const elapsedMs = options.clock.now() - startedAt;
		const timedOut = signal.aborted;
		return {
			status: null,
			contentType: '',
			text: '',
			json: undefined,
			elapsedMs,
			late: timedOut,
			error: timedOut ? null : String(error),
		};
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** True when `value` is a `{version, name, time}` service answer (Ozon ping, every Yandex Market notification). */
export function isServiceAnswer(value: unknown, maxLength = 100): 'ok' | 'fields' | 'time' {
	if (typeof value !== 'object' || value === null) return 'fields';
	const { version, name, time } = value as Record<string, unknown>;
	const okString = (s: unknown) => typeof s === 'string' && s.length >= 1 && s.length <= maxLength;
	if (!okString(version) || !okString(name)) return 'fields';
	if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return 'time';
	return 'ok';
}
