import { z } from 'zod';
import type { HostLocks } from '../../core/ports/host-locks.ts';
import type { HostPortalStore, HostTokens } from '../../core/ports/host-portals.ts';
import { Bitrix24ApiError } from './errors.ts';

const TokenResponseSchema = z.object({
	access_token: z.string().min(1),
	refresh_token: z.string().min(1),
	expires: z.coerce.number().optional(),
	expires_in: z.coerce.number().default(3600),
	client_endpoint: z.string().optional(),
	server_endpoint: z.string().optional(),
});
const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export interface TokenBrokerOptions {
	store: HostPortalStore;
	locks: HostLocks;
	clientId: string;
	clientSecret: string;
	now: () => number;
	fetch?: typeof fetch;
}

/**
 * The one place a portal's tokens are refreshed. Each refresh invalidates the previous refresh
 * token, so two processes refreshing at once would lose the portal for good: the refresh runs under
 * a database lock per portal, and a caller whose token was already replaced by someone else gets
 * the stored pair instead of refreshing again. The new pair is stored compare-and-set.
 */
export function createTokenBroker(options: TokenBrokerOptions) {
	const doFetch = options.fetch ?? fetch;

	async function current(tenantId: string) {
		const secrets = await options.store.secrets(tenantId);
		if (!secrets?.tokens)
			throw new Bitrix24ApiError('NO_AUTH_FOUND', 401, 'the portal has no tokens (uninstalled)');
		return { tokens: secrets.tokens, version: secrets.version };
	}

	async function exchange(serverEndpoint: string, refreshToken: string): Promise<HostTokens> {
		// server_endpoint is `https://oauth.bitrix24.tech/rest/`; the token URL is beside it (research §1.4).
		const url = new URL('/oauth/token/', serverEndpoint);
		const response = await doFetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				client_id: options.clientId,
				client_secret: options.clientSecret,
				refresh_token: refreshToken,
			}),
		});
		const body: unknown = await response.json().catch(() => ({}));
		if (!response.ok) {
			const error = OAuthErrorSchema.safeParse(body);
			const code = error.success ? error.data.error : `HTTP_${response.status}`;
			throw new Bitrix24ApiError(code, response.status, `token refresh failed: ${code}`);
		}
		const parsed = TokenResponseSchema.parse(body);
		const now = options.now();
		return {
			accessToken: parsed.access_token,
			refreshToken: parsed.refresh_token,
			// Without `expires` the SDK would refresh on every call (research §8.10): derive it.
			expiresAt: parsed.expires ? parsed.expires * 1000 : now + parsed.expires_in * 1000,
		};
	}

	return {
		current,
		/** A fresh pair for `tenantId`, given the access token the caller found stale. */
		async refresh(tenantId: string, serverEndpoint: string, staleAccessToken: string): Promise<HostTokens> {
			return await options.locks.withLock(`bitrix24-refresh:${tenantId}`, async () => {
				const stored = await current(tenantId);
				// Someone refreshed while we waited: use theirs, never spend the new refresh token again.
				if (
					stored.tokens.accessToken !== staleAccessToken &&
					stored.tokens.expiresAt > options.now() + 5_000
				) {
					return stored.tokens;
				}
				const fresh = await exchange(serverEndpoint, stored.tokens.refreshToken);
				if (!(await options.store.saveTokens(tenantId, fresh, stored.version))) {
					throw new Bitrix24ApiError('TOKEN_RACE', 409, 'tokens changed during a locked refresh');
				}
				return fresh;
			});
		},
	};
}

export type TokenBroker = ReturnType<typeof createTokenBroker>;
