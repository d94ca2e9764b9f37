import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ozonErrors, sendKnownOzonError } from './errors.ts';
import type { OzonState } from './state.ts';

function sameSecret(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

/** `Client-Id` + `Api-Key` on every call (research §5.1); the Client-Id is kept on `res.locals` for limits. */
export function ozonAuth(state: OzonState) {
	return (req: Request, res: Response, next: NextFunction) => {
		const clientId = req.header('client-id');
		const apiKey = req.header('api-key');
		if (!clientId || !apiKey) return sendKnownOzonError(res, ozonErrors.missingHeaders);
		const expected = state.keys.get(clientId);
		if (expected === undefined || !sameSecret(expected, apiKey)) {
			return sendKnownOzonError(res, ozonErrors.invalidKey);
		}
		if (state.deactivated.has(clientId)) return sendKnownOzonError(res, ozonErrors.deactivatedKey);
		res.locals.clientId = clientId;
		next();
	};
}
