import type { RequestHandler, Response } from 'express';
import type { Clock } from '../core/clock.ts';
import { authenticateDevice, type DevicePrincipal } from '../core/counter/devices.ts';
import { AuthenticationError } from '../core/errors.ts';
import type { Db } from '../db/database.ts';

/**
 * Counter device authentication (`Authorization: Bearer nkc_…`): the key names the tenant and the
 * location, so counter routes take neither from the request. Checked against the database on
 * every request, so a revoked key is refused at once.
 */
export function requireCounterDevice(db: Db, clock: Clock): RequestHandler {
	return async (req, res, next) => {
		try {
			const header = req.headers.authorization;
			const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
			if (!match?.[1]) {
				throw new AuthenticationError('send the counter device key as "Authorization: Bearer nkc_…"');
			}
			res.locals.counterDevice = await authenticateDevice(db, match[1], clock.now());
			next();
		} catch (error) {
			next(error);
		}
	};
}

/** The authenticated device of a counter route. */
export function deviceOf(res: Response): DevicePrincipal {
	const device = res.locals.counterDevice as DevicePrincipal | undefined;
	if (!device) throw new AuthenticationError();
	return device;
}
