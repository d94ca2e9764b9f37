import type { z } from 'zod';
import { InvalidCredentialsError } from '../../core/ports/channel-client.ts';
import { sleep } from './limiter.ts';

/** The platform asked us to wait (Ozon 429, WB 429 with X-Ratelimit-Retry, YM 420). */
export class RateLimitedError extends Error {
	override readonly name = 'RateLimitedError';
	constructor(
		message: string,
		readonly retryAfterMs: number,
	) {
		super(message);
	}
}

/** An error answer that no retry changes (400, 404): the caller decides (e.g. fall back to v3). */
export class PlatformRequestError extends Error {
	override readonly name = 'PlatformRequestError';
	constructor(
		message: string,
		readonly status: number,
	) {
		super(message);
	}
}

export interface ApiCall<S extends z.ZodType> {
	method: 'GET' | 'POST';
	path: string;
	query?: Record<string, string | number | undefined>;
	body?: unknown;
	schema: S;
}

export interface ApiClientOptions {
	baseUrl: string;
	headers: Record<string, string>;
	/** Waits for the platform's budget before each attempt (token bucket, semaphore…). */
	gate: <T>(attempt: () => Promise<T>) => Promise<T>;
	/** Reads a rate-limit answer: how long to wait, or undefined when the status is not one. */
	rateLimit: (status: number, headers: Headers) => number | undefined;
	/** Called when the platform rate-limited us, e.g. to drain a shared bucket. */
	onRateLimited?: (retryAfterMs: number) => void;
	signal?: AbortSignal;
	/** Rate-limit waits longer than this are not slept through here: the error goes to the caller. */
	maxWaitMs?: number;
	timeoutMs?: number;
}

/**
 * JSON over HTTP with the platform's limits: every attempt passes the gate; rate-limit answers are
 * waited out as the platform advises; 5xx and network errors are retried a few times with backoff;
 * 401/403 become InvalidCredentialsError; every success is parsed by the call's zod schema.
 */
export function createApiClient(options: ApiClientOptions) {
	const maxWait = options.maxWaitMs ?? 120_000;
	return async function call<S extends z.ZodType>(request: ApiCall<S>): Promise<z.infer<S>> {
		const url = new URL(options.baseUrl.replace(/\/$/, '') + request.path);
		for (const [key, value] of Object.entries(request.query ?? {})) {
			if (value !== undefined) url.searchParams.set(key, String(value));
		}
		let failures = 0;
		for (;;) {
			if (options.signal?.aborted) throw new Error('sync stopped');
			let response: Response;
			let text: string;
			try {
				[response, text] = await options.gate(async () => {
					const res = await fetch(url, {
						method: request.method,
						headers: {
							accept: 'application/json',
							...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
							...options.headers,
						},
						body: request.body === undefined ? null : JSON.stringify(request.body),
						signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
					});
					return [res, await res.text()] as const;
				});
			} catch (error) {
				failures += 1;
				if (failures >= 4) throw new Error(`${request.path}: ${(error as Error).message}`, { cause: error });
				await sleep(250 * 2 ** failures, options.signal);
				continue;
			}
			const wait = options.rateLimit(response.status, response.headers);
			if (wait !== undefined) {
				options.onRateLimited?.(wait);
				if (wait > maxWait) throw new RateLimitedError(`${request.path}: rate limited`, wait);
				await sleep(wait, options.signal);
				continue;
			}
			if (response.status === 401 || response.status === 403) {
				throw new InvalidCredentialsError(`${response.status}: ${describe(text)}`);
			}
			if (response.status >= 500) {
				failures += 1;
				if (failures >= 4) throw new Error(`${request.path}: HTTP ${response.status} ${describe(text)}`);
				await sleep(250 * 2 ** failures, options.signal);
				continue;
			}
			if (response.status >= 400) {
				throw new PlatformRequestError(
					`${request.path}: HTTP ${response.status} ${describe(text)}`,
					response.status,
				);
			}
			const parsed = request.schema.safeParse(text ? JSON.parse(text) : {});
			if (!parsed.success) {
				throw new Error(
					`${request.path}: unexpected answer: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
				);
			}
			return parsed.data;
		}
	};
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The platform's error message, short, for lastError and problem details (never the request). */
function describe(text: string): string {
	try {
		const body = JSON.parse(text) as {
			message?: unknown;
			detail?: unknown;
			errors?: { message?: unknown }[];
		};
		const message = body.message ?? body.detail ?? body.errors?.[0]?.message;
		if (typeof message === 'string') return message.slice(0, 300);
	} catch {
		// not JSON
	}
	return text.slice(0, 200);
}
