import type { Express, Request, Response } from 'express';
import type { Clock } from '../kit/index.ts';
import { parsePhpQuery } from './php-query.ts';
import { type AppDefinition, type PortalState, randomHex } from './portal-state.ts';
import { restErrors } from './rest-envelope.ts';

const ACCESS_TTL_SECONDS = 3600;
const REFRESH_TTL_SECONDS = 180 * 24 * 3600;
const CODE_TTL_SECONDS = 30;

export interface AccessGrant {
	token: string;
	domain: string;
	appId: string;
	userId: number;
	scope: string;
	expiresAtMs: number;
}

interface RefreshGrant {
	token: string;
	domain: string;
	appId: string;
	userId: number;
	expiresAtMs: number;
	/** Rotated refresh tokens are single-use (research §1.4, §8.1). */
	used: boolean;
}

/** A fresh token pair as every payload spells it. */
export interface TokenPair {
	accessToken: string;
	refreshToken: string;
	/** Unix seconds. */
	expires: number;
	expiresIn: number;
	scope: string;
	userId: number;
}

interface OAuthDeps {
	clock: Clock;
	app(clientId: string): AppDefinition | undefined;
	portal(domain: string): PortalState | undefined;
}

/**
 * The OAuth server (`oauth.bitrix.info` / `oauth.bitrix24.tech`), shared by all portals: issues,
 * rotates and checks tokens. Access tokens live 3600 s on the injectable clock.
 */
export class OAuthServer {
	readonly #access = new Map<string, AccessGrant>();
	readonly #refresh = new Map<string, RefreshGrant>();
	readonly #codes = new Map<string, { domain: string; appId: string; userId: number; expiresAtMs: number }>();
	/** Set once the server listens: `http://127.0.0.1:PORT`. */
	url = '';

	constructor(private readonly deps: OAuthDeps) {}

	/** `server_endpoint` as payloads carry it. */
	get serverEndpoint(): string {
		return `${this.url}/rest/`;
	}

	/** Host of the OAuth server, the `domain` of a refresh response. */
	get host(): string {
		return this.url.replace(/^https?:\/\//, '');
	}

	issue(domain: string, appId: string, userId: number): TokenPair {
		const app = this.deps.app(appId);
		const now = this.deps.clock.now();
		const accessToken = randomHex(35);
		const refreshToken = randomHex(35);
		const scope = app?.scope ?? '';
		this.#access.set(accessToken, {
			token: accessToken,
			domain,
			appId,
			userId,
			scope,
			expiresAtMs: now + ACCESS_TTL_SECONDS * 1000,
		});
		this.#refresh.set(refreshToken, {
			token: refreshToken,
			domain,
			appId,
			userId,
			expiresAtMs: now + REFRESH_TTL_SECONDS * 1000,
			used: false,
		});
		return {
			accessToken,
			refreshToken,
			expires: Math.floor(now / 1000) + ACCESS_TTL_SECONDS,
			expiresIn: ACCESS_TTL_SECONDS,
			scope,
			userId,
		};
	}

	/** Resolves an access token for a call to `domain`, or throws the REST error the portal answers. */
	check(token: string, domain: string): AccessGrant {
		const grant = this.#access.get(token);
		if (!grant || grant.domain !== domain) throw restErrors.invalidToken();
		if (grant.expiresAtMs <= this.deps.clock.now()) throw restErrors.expiredToken();
		return grant;
	}

	/** Makes the token expire now: its next call gets 401 `expired_token`. */
	expireAccessToken(token: string): void {
		const grant = this.#access.get(token);
		if (grant) grant.expiresAtMs = this.deps.clock.now();
	}

	/** Revokes every token of an app on a portal (uninstall). */
	revoke(domain: string, appId: string): void {
		for (const [key, grant] of this.#access)
			if (grant.domain === domain && grant.appId === appId) this.#access.delete(key);
		for (const [key, grant] of this.#refresh)
			if (grant.domain === domain && grant.appId === appId) this.#refresh.delete(key);
	}

	/** An authorization code for the full OAuth flow (valid 30 s). */
	issueCode(domain: string, appId: string, userId: number): string {
		const code = randomHex(35);
		this.#codes.set(code, {
			domain,
			appId,
			userId,
			expiresAtMs: this.deps.clock.now() + CODE_TTL_SECONDS * 1000,
		});
		return code;
	}

	/** The `/oauth/token/` grant logic; the answer body and its HTTP status. */
	grant(params: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
		const str = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : '');
		const app = this.deps.app(str('client_id'));
		if (!app || app.clientSecret !== str('client_secret')) {
			return oauthError(401, 'invalid_client', 'Invalid client id or secret');
		}
		const now = this.deps.clock.now();
		let subject: { domain: string; userId: number } | undefined;
		if (str('grant_type') === 'refresh_token') {
			const refresh = this.#refresh.get(str('refresh_token'));
			if (!refresh || refresh.appId !== app.clientId || refresh.used || refresh.expiresAtMs <= now) {
				return oauthError(400, 'invalid_grant', 'Invalid refresh token');
			}
			refresh.used = true;
			subject = refresh;
		} else if (str('grant_type') === 'authorization_code') {
			const code = this.#codes.get(str('code'));
			this.#codes.delete(str('code'));
			if (!code || code.appId !== app.clientId || code.expiresAtMs <= now) {
				return oauthError(400, 'invalid_grant', 'Invalid authorization code');
			}
			subject = code;
		} else {
			return oauthError(400, 'invalid_request', 'Invalid grant_type');
		}
		const portal = this.deps.portal(subject.domain);
		if (!portal?.installs.has(app.clientId)) {
			return oauthError(400, 'invalid_grant', 'Application not installed');
		}
		const pair = this.issue(subject.domain, app.clientId, subject.userId);
		return {
			status: 200,
			body: {
				access_token: pair.accessToken,
				client_endpoint: portal.clientEndpoint,
				domain: this.host,
				expires: pair.expires,
				expires_in: pair.expiresIn,
				member_id: portal.memberId,
				refresh_token: pair.refreshToken,
				scope: pair.scope,
				server_endpoint: this.serverEndpoint,
				status: app.status ?? 'L',
				user_id: pair.userId,
			},
		};
	}

	/** Mounts `/oauth/token/` (GET query or POST form, research §1.4 and §7.3). */
	mount(app: Express): void {
		const handle = (req: Request, res: Response) => {
			const query = parsePhpQuery(req.originalUrl.split('?')[1] ?? '');
			const raw = (req as Request & { rawBody?: string }).rawBody ?? '';
			const body = req.is('application/json') && typeof req.body === 'object' ? req.body : parsePhpQuery(raw);
			const { status, body: answer } = this.grant({ ...query, ...(body as Record<string, unknown>) });
			res.status(status).json(answer);
		};
		app.get(['/oauth/token', '/oauth/token/'], handle);
		app.post(['/oauth/token', '/oauth/token/'], handle);
	}
}

function oauthError(status: number, error: string, description: string) {
	return { status, body: { error, error_description: description } };
}
