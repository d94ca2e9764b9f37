import type {
	CounterActionResult,
	CounterIdentifyRequest,
	CounterPickup,
	CounterSessionSchema,
	CustomerCard,
} from '@nitka/shared';
import type { z } from 'zod';

/**
 * The counter API client (docs/counter.md). Every POST is a confirmed action with its own
 * Idempotency-Key, kept until the action succeeds or is refused for good: a request that timed out
 * or lost its connection is sent again with the same key, so the server applies it once.
 */

export type CounterSession = z.infer<typeof CounterSessionSchema>;

/** What went wrong, in the API's words (problem JSON `code`) or `network` / `server`. */
export class ApiError extends Error {
	constructor(
		readonly code: string,
		readonly status: number,
		readonly detail: string,
	) {
		super(detail || code);
	}

	/** A lost answer or a server hiccup: sending the same request again (same key) is safe. */
	get retryable(): boolean {
		return this.code === 'network' || this.code === 'server';
	}
}

export interface ApiOptions {
	/** Per-request timeout (a slow connection is expected: generous). */
	timeoutMs?: number;
	/** Automatic resends of a timed-out request before the screen offers "Retry". */
	retries?: number;
	/** Told when a request is being resent. */
	onRetry?: () => void;
}

const PENDING_KEYS = 'nitka.counter.pending';

/** `crypto.randomUUID` needs a secure context; a tablet on plain http gets the same from random bytes. */
export function newKey(): string {
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
	bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
	const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CounterApi {
	private readonly base: URL;
	/** Unfinished actions' keys by request (path + body); survives a reload of the page. */
	private readonly pending: Map<string, string>;

	constructor(
		private readonly deviceKey: string,
		private readonly options: ApiOptions = {},
	) {
		// The page lives at <connector>/counter/: the API is a sibling, whatever prefix a proxy adds.
		this.base = new URL('../api/v1/counter/', window.location.href);
		this.pending = new Map(readPending());
	}

	session(): Promise<CounterSession> {
		return this.request<CounterSession>('GET', 'session');
	}

	identify(body: CounterIdentifyRequest): Promise<CustomerCard> {
		return this.action<CustomerCard>('identify', body);
	}

	card(customerId: string): Promise<CustomerCard> {
		return this.request<CustomerCard>('GET', `customers/${encodeURIComponent(customerId)}`);
	}

	pickups(): Promise<{ items: CounterPickup[] }> {
		return this.request('GET', 'pickups');
	}

	markReady(orderId: string): Promise<CounterPickup> {
		return this.action(`pickups/${encodeURIComponent(orderId)}/ready`, {});
	}

	customerAction(
		customerId: string,
		kind: 'pickups' | 'promo-redemptions' | 'purchases' | 'returns' | 'notes' | 'visits',
		body: object,
	): Promise<CounterActionResult> {
		return this.action(`customers/${encodeURIComponent(customerId)}/${kind}`, body);
	}

	/** A confirmed action: one key per distinct request until it succeeds or is refused for good. */
	private async action<T>(path: string, body: object): Promise<T> {
		const signature = `${path}\n${JSON.stringify(body)}`;
		let key = this.pending.get(signature);
		if (!key) {
			key = newKey();
			this.pending.set(signature, key);
			this.savePending();
		}
		const retries = this.options.retries ?? 2;
		for (let attempt = 0; ; attempt += 1) {
			try {
				const result = await this.request<T>('POST', path, body, key);
				this.forget(signature);
				return result;
			} catch (error) {
				if (error instanceof ApiError && error.retryable) {
					if (attempt < retries) {
						this.options.onRetry?.();
						await sleep(500 * 2 ** attempt);
						continue;
					}
					// The key stays: the staff's "Retry" sends the same request with it.
					throw error;
				}
				this.forget(signature);
				throw error;
			}
		}
	}

	private forget(signature: string): void {
		if (this.pending.delete(signature)) this.savePending();
	}

	private savePending(): void {
		try {
			sessionStorage.setItem(PENDING_KEYS, JSON.stringify([...this.pending]));
		} catch {
			// Storage full or disabled: the keys live in memory for this page.
		}
	}

	private async request<T>(method: 'GET' | 'POST', path: string, body?: object, key?: string): Promise<T> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 20_000);
		const headers: Record<string, string> = {
			authorization: `Bearer ${this.deviceKey}`,
			accept: 'application/json',
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (key) headers['idempotency-key'] = key;
		let response: Response;
		try {
			response = await fetch(new URL(path, this.base), {
				method,
				headers,
				body: body === undefined ? null : JSON.stringify(body),
				signal: controller.signal,
				cache: 'no-store',
				credentials: 'omit',
			});
		} catch {
			throw new ApiError('network', 0, '');
		} finally {
			clearTimeout(timer);
		}
		let payload: unknown = null;
		try {
			payload = await response.json();
		} catch {
			payload = null;
		}
		if (response.ok) return payload as T;
		const problem = (payload ?? {}) as { code?: unknown; detail?: unknown };
		const code =
			typeof problem.code === 'string'
				? problem.code
				: response.status >= 500 || response.status === 0
					? 'server'
					: `http_${response.status}`;
		// A 5xx answer with a problem body is still the server's hiccup: resend with the same key.
		const retryable = response.status >= 500 && response.status !== 503 ? 'server' : code;
		throw new ApiError(retryable, response.status, typeof problem.detail === 'string' ? problem.detail : '');
	}
}

function readPending(): [string, string][] {
	try {
		const raw = sessionStorage.getItem(PENDING_KEYS);
		const parsed: unknown = raw ? JSON.parse(raw) : [];
		return Array.isArray(parsed)
			? parsed.filter(
					(entry): entry is [string, string] =>
						Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string',
				)
			: [];
	} catch {
		return [];
	}
}
