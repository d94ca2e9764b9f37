import type { z } from 'zod';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import type { SessionTokens } from '../../security/session-tokens.ts';
import type { ClientPool } from './client-pool.ts';
import { Bitrix24ApiError, isPortalBusy, isTokenRejection } from './errors.ts';
import { isOurApp } from './install.ts';
import type { PortalLimits } from './rest-client.ts';
import { AppInfoSchema, ProfileSchema, UserCurrentSchema } from './schemas.ts';

export interface FrameAuth {
	domain: string;
	memberId: string;
	accessToken: string;
}

export interface SessionResult {
	token: string;
	tenantId: string;
	expiresAt: string;
	user: { id: string; name: string; isAdmin: boolean };
	language: string;
}

export class UnknownPortalError extends Error {
	override readonly name = 'UnknownPortalError';
}
export class FrameAuthRejectedError extends Error {
	override readonly name = 'FrameAuthRejectedError';
}
/** The portal's bucket stayed full for longer than a session check may wait. */
export class PortalBusyError extends Error {
	override readonly name = 'PortalBusyError';
	constructor(readonly retryAfterSeconds: number) {
		super('the Bitrix24 portal is over its request limit');
	}
}

/** How long one session check may wait for the portal's bucket, across its three calls. */
const SESSION_WAIT_MS = 3000;

async function callWith(clientEndpoint: string, method: string, accessToken: string): Promise<unknown> {
	const response = await fetch(new URL(method, clientEndpoint.replace(/\/*$/, '/')), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ auth: accessToken }),
	}).catch((error: unknown) => {
		throw new Bitrix24ApiError('NETWORK_ERROR', 0, `${method}: the portal is unreachable`, { cause: error });
	});
	const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: string };
	if (!response.ok || body.error) {
		throw new Bitrix24ApiError(body.error ?? `HTTP_${response.status}`, response.status, `${method} failed`);
	}
	return body.result;
}

/**
 * Exchanges a frame's auth for a 15-minute session token. Nothing the frame claims is trusted:
 * the portal is found by member_id, its stored endpoint (never the frame's domain) is asked who
 * the token belongs to (`profile`, `user.current`, `app.info`), and only an answer from that
 * portal, for our app, issues a session scoped to that portal's tenant.
 *
 * The checks count against the portal's leaky bucket like every other call, so they queue at the
 * portal's limiter and wait briefly when it is full: a busy portal is a 503 with Retry-After, and
 * only the portal's refusal of the token (expired_token, invalid_token, NO_AUTH_FOUND) is a 401.
 */
export async function createSession(
	deps: {
		store: HostPortalStore;
		sessions: SessionTokens;
		clientId: string;
		appCode?: string | undefined;
		pool: ClientPool;
		limits: PortalLimits;
	},
	frame: FrameAuth,
): Promise<SessionResult> {
	const portal = await deps.store.byExternalId('bitrix24', frame.memberId);
	if (portal?.status !== 'active') throw new UnknownPortalError(`portal ${frame.memberId}`);
	if (portal.domain.toLowerCase() !== frame.domain.toLowerCase())
		throw new FrameAuthRejectedError('domain mismatch');
	const client = await deps.pool.forPortal(portal);
	const deadline = Date.now() + SESSION_WAIT_MS;
	const pauseMs = Math.ceil(1000 / deps.limits.drainPerSecond);
	const busy = (waitMs: number) => new PortalBusyError(Math.max(1, Math.ceil(waitMs / 1000)));
	const ask = async <T>(method: string, schema: z.ZodType<T>): Promise<T> => {
		for (;;) {
			const wait = await client.takeTurn(method, Math.max(0, deadline - Date.now()));
			if (wait > 0) throw busy(wait);
			let answer: unknown;
			try {
				answer = await callWith(portal.clientEndpoint, method, frame.accessToken);
			} catch (error) {
				if (!(error instanceof Bitrix24ApiError)) throw error;
				if (isTokenRejection(error)) throw new FrameAuthRejectedError(`${method}: ${error.code}`);
				if (!isPortalBusy(error)) throw error;
				// Full on the portal's side (other processes or IPs share it): retry after one drip.
				if (Date.now() + pauseMs > deadline) throw busy(pauseMs);
				await new Promise((resolve) => setTimeout(resolve, pauseMs));
				continue;
			}
			const parsed = schema.safeParse(answer);
			if (!parsed.success)
				throw new Bitrix24ApiError('UNEXPECTED_ANSWER', 502, `${method}: unexpected answer`);
			return parsed.data;
		}
	};
	const profile = await ask('profile', ProfileSchema);
	const user = await ask('user.current', UserCurrentSchema);
	const app = await ask('app.info', AppInfoSchema);
	// An answer that does not name our app (another app's token, or no CODE at all) is refused.
	if (!isOurApp(app, deps.clientId, deps.appCode)) throw new FrameAuthRejectedError('token of another app');
	const issued = await deps.sessions.issue({
		tenantId: portal.tenantId,
		userId: user.ID,
		isAdmin: profile.ADMIN,
		host: 'bitrix24',
	});
	return {
		token: issued.token,
		tenantId: portal.tenantId,
		expiresAt: new Date(issued.expiresAt).toISOString(),
		user: {
			id: user.ID,
			name: [user.NAME, user.LAST_NAME].filter(Boolean).join(' '),
			isAdmin: profile.ADMIN,
		},
		language: app.LANGUAGE_ID ?? 'ru',
	};
}
