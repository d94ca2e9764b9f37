import type { NextFunction, Request, Response } from 'express';
import { sendOzonError } from './errors.ts';
import type { OzonState } from './state.ts';

/** Endpoints Ozon retired on 2026-08-31 and their successors (research §5.3). */
export const ozonRetiredEndpoints: Readonly<Record<string, string>> = {
	'/v3/posting/fbs/list': '/v4/posting/fbs/list',
	'/v3/posting/fbs/unfulfilled/list': '/v4/posting/fbs/unfulfilled/list',
	'/v2/posting/fbo/list': '/v3/posting/fbo/list',
};

/**
 * Counts calls to retired endpoints so a test can assert the connector never uses them; in `reject` mode
 * answers as a shut-down method would (the exact error Ozon returns is UNVERIFIED: 404 NOT_FOUND here).
 */
export function retiredEndpoints(state: OzonState, mode: 'serve' | 'reject') {
	return (req: Request, res: Response, next: NextFunction) => {
		const successor = ozonRetiredEndpoints[req.path];
		if (!successor) return next();
		state.countRetired(req.path);
		if (mode === 'serve') return next();
		sendOzonError(res, 404, 5, `method is retired, use ${successor}`);
	};
}
