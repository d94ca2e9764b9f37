import { hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/** What a session token proves: a host user, verified against their portal, acting on one tenant. */
export interface SessionClaims {
	tenantId: string;
	/** The host user's id (a Bitrix24 user id). */
	userId: string;
	isAdmin: boolean;
	/** Which host issued the frame auth, e.g. "bitrix24". */
	host: string;
}

export const SESSION_TTL_SECONDS = 15 * 60;
const ISSUER = 'nitka';
const AUDIENCE = 'nitka-api';

export class InvalidSessionTokenError extends Error {
	override readonly name = 'InvalidSessionTokenError';
}

/**
 * Short-lived HS256 session tokens for host UIs (the Bitrix24 app's frame). The signing key is
 * derived from the master key with HKDF under its own label, so it never equals a key that seals
 * secrets, and rotating the master key invalidates every session.
 */
export class SessionTokens {
	readonly #key: Uint8Array;

	constructor(
		masterKey: Buffer,
		private readonly now: () => number = Date.now,
	) {
		this.#key = new Uint8Array(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'nitka session tokens v1', 32));
	}

	/** Signs a token valid for 15 minutes; returns it with its expiry (epoch ms). */
	async issue(claims: SessionClaims): Promise<{ token: string; expiresAt: number }> {
		const iat = Math.floor(this.now() / 1000);
		const exp = iat + SESSION_TTL_SECONDS;
		const token = await new SignJWT({ tid: claims.tenantId, adm: claims.isAdmin, host: claims.host })
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
			.setSubject(claims.userId)
			.setIssuer(ISSUER)
			.setAudience(AUDIENCE)
			.setIssuedAt(iat)
			.setExpirationTime(exp)
			.sign(this.#key);
		return { token, expiresAt: exp * 1000 };
	}

	/** Verifies signature, algorithm, audience and expiry; throws InvalidSessionTokenError otherwise. */
	async verify(token: string): Promise<SessionClaims> {
		try {
			const { payload } = await jwtVerify(token, this.#key, {
				algorithms: ['HS256'],
				issuer: ISSUER,
				audience: AUDIENCE,
				currentDate: new Date(this.now()),
			});
			if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string') {
				throw new InvalidSessionTokenError('session token without tenant or subject');
			}
			return {
				tenantId: payload.tid,
				userId: payload.sub,
				isAdmin: payload.adm === true,
				host: typeof payload.host === 'string' ? payload.host : 'unknown',
			};
		} catch (error) {
			if (error instanceof InvalidSessionTokenError) throw error;
			const reason = error instanceof errors.JWTExpired ? 'session token expired' : 'invalid session token';
			throw new InvalidSessionTokenError(reason);
		}
	}
}

/** A JWT has three base64url parts; API keys start with `nk_`. */
export const looksLikeSessionToken = (value: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);
