import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { BackgroundLoop } from '../background-loop.ts';
import type { Clock } from '../clock.ts';
import { sweepActions } from './idempotency.ts';
import { sweepTokenUses } from './qr-tokens.ts';

/** How long a counter action's stored response answers retries. */
export const ACTION_RETENTION_MS = 24 * 3_600_000;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * Hourly housekeeping of the counter: spent QR tokens past their expiry (an expired token is
 * refused before its jti is looked up) and stored action responses older than a day (they hold
 * masked customer cards; no screen retries a day later).
 */
export function createCounterSweeper(db: Db, clock: Clock, logger: Logger): BackgroundLoop {
	return new BackgroundLoop(
		'counter-sweeper',
		async () => {
			const now = clock.now();
			const tokens = await sweepTokenUses(db, now);
			const actions = await sweepActions(db, now - ACTION_RETENTION_MS);
			if (tokens + actions > 0) logger.debug({ tokens, actions }, 'counter sweep');
			return SWEEP_EVERY_MS;
		},
		logger,
	);
}
