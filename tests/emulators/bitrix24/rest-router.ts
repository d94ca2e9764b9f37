import type { Express, NextFunction, Request, Response } from 'express';
import { runBatch } from './batch.ts';
import { bareTime, type InvokeDeps, invokeMethod } from './invoke.ts';
import type { PortalLimiter } from './limiter.ts';
import type { Caller } from './method-types.ts';
import { type PhpRecord, parsePhpQuery } from './php-query.ts';
import type { PortalState } from './portal-state.ts';
import { errorBody, type RestError, restErrors, successBody } from './rest-envelope.ts';

/** CORS as the portal sends it (research §2.1), so browser JSON calls pass the preflight. */
function cors(res: Response): void {
	res.setHeader('Access-Control-Allow-Origin', '*');
	res.setHeader('Access-Control-Allow-Headers', 'origin, content-type, accept');
}

/** Query and body merged, body keys winning; JSON decoded only for `Content-Type: application/json`. */
function readParams(req: Request): PhpRecord {
	const query = parsePhpQuery(req.originalUrl.split('?')[1] ?? '');
	if (req.method === 'GET' || req.method === 'HEAD') return query;
	if (req.is('application/json')) {
		const body: unknown = req.body;
		return body && typeof body === 'object' && !Array.isArray(body)
			? { ...query, ...(body as PhpRecord) }
			: query;
	}
	const raw = (req as Request & { rawBody?: string }).rawBody ?? '';
	return { ...query, ...parsePhpQuery(raw) };
}

/** Token lookup order of CORE lib/oauth/auth.php: Bearer header, then `auth`, then `access_token`. */
function findToken(req: Request, params: PhpRecord): string | undefined {
	const header = req.headers.authorization;
	if (header?.startsWith('Bearer ')) return header.slice(7).trim();
	for (const key of ['auth', 'access_token']) {
		const value = params[key];
		if (typeof value === 'string' && value !== '') return value;
	}
	return undefined;
}

const frontFaultPage = (status: number) =>
	`<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>`;

/**
 * Mounts `/rest/{method}[.json]` and `/rest/{userId}/{secret}/{method}` on a portal's app,
 * tolerating duplicate slashes (`…/rest//crm.item.list` from a trailing-slash clientEndpoint).
 */
export function mountRest(app: Express, deps: InvokeDeps, portal: PortalState, limiter: PortalLimiter): void {
	app.use(async (req: Request, res: Response, next: NextFunction) => {
		const path = req.path.replace(/\/{2,}/g, '/');
		if (!path.startsWith('/rest/')) return next();
		cors(res);
		if (req.method === 'OPTIONS') return res.status(200).end();
		const startMs = deps.clock.now();
		const fail = (error: RestError) => res.status(error.status).json(errorBody(error));
		const segments = path.slice('/rest/'.length).split('/').filter(Boolean);
		const hook =
			segments.length === 3 ? { userId: Number(segments[0]), secret: segments[1] ?? '' } : undefined;
		const method = (segments.at(-1) ?? '').replace(/\.json$/i, '').toLowerCase();
		if (!method || segments.length === 2 || segments.length > 3) return fail(restErrors.methodNotFound());
		const fault = await deps.faults.apply(method);
		if (fault?.kind === 'status') {
			return fault.status === 500
				? fail(restErrors.internal())
				: res.status(fault.status).type('html').send(frontFaultPage(fault.status));
		}
		if (fault?.kind === 'rate-limit' || !limiter.admit(req.socket.remoteAddress ?? '127.0.0.1')) {
			return fail(restErrors.queryLimit());
		}
		const params = readParams(req);
		let caller: Caller;
		if (hook) {
			const found = portal.webhooks.find((w) => w.userId === hook.userId && w.secret === hook.secret);
			if (!found) return fail(restErrors.noAuth());
			caller = { kind: 'webhook', userId: found.userId, scope: found.scope.split(',') };
		} else {
			const token = findToken(req, params);
			if (!token) return fail(restErrors.noAuth());
			if (fault?.kind === 'expired-token') return fail(restErrors.expiredToken());
			try {
				const grant = deps.oauth.check(token, portal.domain);
				caller = {
					kind: 'oauth',
					appId: grant.appId,
					userId: grant.userId,
					scope: grant.scope.split(',').map((s) => s.trim()),
					accessToken: token,
				};
			} catch (error) {
				return fail(error as RestError);
			}
		}
		const { auth: _auth, access_token: _accessToken, start, ...methodParams } = params;
		try {
			if (method === 'batch') {
				const result = await runBatch(deps, portal, limiter, caller, methodParams);
				return res.status(200).json({ result, time: bareTime(deps, portal, startMs) });
			}
			const invocation = await invokeMethod(deps, portal, limiter, {
				caller,
				method,
				params: methodParams,
				start: start === undefined || start === '' ? undefined : Number(start),
			});
			if (!invocation.ok) return fail(invocation.error);
			return res.status(200).json(successBody(invocation.outcome, invocation.time));
		} catch (error) {
			console.error('[bitrix24 emulator] method crashed', method, error);
			return fail(restErrors.internal());
		}
	});
}
