import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../kit/index.ts';
import { sendWbGatewayError } from './errors.ts';
import type { WbState } from './state.ts';

/**
 * The API key sits in `Authorization`, sent raw; WB's own examples also show `Bearer <token>`, so both are
 * accepted (research §6.1). The seller id is kept on `res.locals` for the limiter.
 */
export function wbAuth(state: WbState, clock: Clock) {
	return (req: Request, res: Response, next: NextFunction) => {
		const header = req.header('authorization') ?? '';
		const token = header.replace(/^Bearer\s+/i, '').trim();
		const sellerId = token ? state.tokens.get(token) : undefined;
		if (sellerId === undefined) {
			const detail = token
				? 'token problem; token is malformed: could not parse token'
				: 'empty Authorization header';
			return sendWbGatewayError(res, 401, detail, 's2s-api-auth-marketplace', clock.now());
		}
		res.locals.sellerId = sellerId;
		next();
	};
}
