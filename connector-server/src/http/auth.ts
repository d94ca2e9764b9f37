import type { RequestHandler } from 'express';
import type { Clock } from '../core/clock.ts';
import { AuthenticationError, ForbiddenError } from '../core/errors.ts';
import { authenticateApiKey, authorizeTenant, type Principal } from '../core/tenants/api-keys.ts';
import type { Db } from '../db/database.ts';
import {
	InvalidSessionTokenError,
	looksLikeSessionToken,
	type SessionTokens,
} from '../security/session-tokens.ts';

/**
 * API-key authentication (`Authorization: Bearer nk_…`), or a host UI's session token (a JWT the
 * connector issued after verifying the frame's auth against the portal), then tenant
 * authorization for any route with a `:tenantId`: no tenant-scoped handler runs for a caller that
 * may not act on that tenant. A session acts on its own tenant only.
 */
export function requireApiKey(db: Db, clock: Clock, sessions?: SessionTokens): RequestHandler {
	return async (req, res, next) => {
		try {
			const header = req.headers.authorization;
			const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
			if (!match?.[1]) throw new AuthenticationError('send the API key as "Authorization: Bearer <key>"');
			const presented = match[1];
			let principal: Principal;
			if (sessions && looksLikeSessionToken(presented)) {
				try {
					const claims = await sessions.verify(presented);
					principal = {
						kind: 'session',
						tenantId: claims.tenantId,
						userId: claims.userId,
						host: claims.host,
						isAdmin: claims.isAdmin,
					};
				} catch (error) {
					if (error instanceof InvalidSessionTokenError) throw new AuthenticationError(error.message);
					throw error;
				}
			} else {
				principal = await authenticateApiKey(db, presented, clock.now());
			}
			const tenantId = req.params.tenantId;
			if (typeof tenantId === 'string') await authorizeTenant(db, principal, tenantId);
			res.locals.principal = principal;
			next();
		} catch (error) {
			next(error);
		}
	};
}

/** What a route may demand beyond tenant access: `admin` for settings and other tenant-wide changes. */
export type RouteRole = 'admin';

/**
 * Role check for a route marked `role: 'admin'`: API keys (tenant or agency) are the tenant's
 * administrators; a host UI session is one only when its portal said the user is an admin. Runs
 * after authentication, before the route's input is parsed.
 */
export function authorizeRole(principal: Principal | undefined, role: RouteRole | undefined): void {
	if (!role) return;
	if (!principal) throw new AuthenticationError();
	if (principal.kind === 'session' && !principal.isAdmin) {
		throw new ForbiddenError('only a portal administrator may do this');
	}
}
