import type { FrameContext } from '../frame/frame-context.ts';
import type { Language } from '../i18n/i18n.ts';
import { ApiError, toApiError } from './problem.ts';

/** What the connector's session endpoint answers. */
export interface Session {
	token: string;
	tenantId: string;
	/** Epoch ms. */
	expiresAt: number;
	user: { id: string; name: string; isAdmin: boolean };
	language?: Language | string;
}

interface SessionAnswer extends Omit<Session, 'expiresAt'> {
	expiresAt: string | number;
}

/** Refresh this long before the token expires, so no call races its expiry. */
const MARGIN_MS = 60_000;
/** A busy portal (503) says when to come back; wait that long (capped), this many times. */
const BUSY_RETRIES = 2;
const BUSY_WAIT_CAP_MS = 5_000;

function retryAfterMs(response: Response): number {
	const seconds = Number(response.headers.get('retry-after'));
	return Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, BUSY_WAIT_CAP_MS);
}

/**
 * Exchanges the frame's auth for a 15-minute connector session and renews it with fresh frame
 * auth before it lapses. Concurrent callers share one exchange.
 */
export class SessionKeeper {
	#session: Session | null = null;
	#pending: Promise<Session> | null = null;

	constructor(
		private readonly base: string,
		private readonly frame: FrameContext,
		private readonly exchange: (url: string, init: RequestInit) => Promise<Response>,
		private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
	) {}

	get current(): Session | null {
		return this.#session;
	}

	/** A valid session; `force` renews even when the current one looks fine (after a 401). */
	async get(force = false): Promise<Session> {
		if (!force && this.#session && this.#session.expiresAt - MARGIN_MS > Date.now()) return this.#session;
		this.#pending ??= this.#openOrRetry(force || this.#session !== null).finally(() => {
			this.#pending = null;
		});
		return await this.#pending;
	}

	/** A refused frame token may just be stale (a tab left open past its hour): retry once with a fresh one. */
	async #openOrRetry(freshAuth: boolean): Promise<Session> {
		try {
			return await this.#open(freshAuth);
		} catch (error) {
			if (freshAuth || !(error instanceof ApiError) || error.status !== 401) throw error;
			return await this.#open(true);
		}
	}

	async #open(freshAuth: boolean): Promise<Session> {
		const auth = await this.frame.auth(freshAuth);
		const init: RequestInit = {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({
				domain: auth.domain,
				memberId: auth.memberId,
				accessToken: auth.accessToken,
				placement: this.frame.placement,
				placementOptions: this.frame.placementOptions,
			}),
		};
		let response = await this.exchange(`${this.base}/api/v1/hosts/bitrix24/session`, init);
		for (let attempt = 0; response.status === 503 && attempt < BUSY_RETRIES; attempt++) {
			await this.sleep(retryAfterMs(response));
			response = await this.exchange(`${this.base}/api/v1/hosts/bitrix24/session`, init);
		}
		if (!response.ok) {
			throw await toApiError(response);
		}
		const answer = (await response.json()) as SessionAnswer;
		const expiresAt =
			typeof answer.expiresAt === 'number' ? answer.expiresAt : Date.parse(answer.expiresAt) || 0;
		this.#session = { ...answer, expiresAt };
		return this.#session;
	}
}
