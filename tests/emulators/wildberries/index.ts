import type { NextFunction, Request, Response } from 'express';
import {
	type Clock,
	createEmulatorBase,
	type FaultInjector,
	listen,
	type RequestLog,
	type RunningEmulator,
	systemClock,
} from '../kit/index.ts';
import { faultMiddleware } from '../marketplace-common/fault-middleware.ts';
import { wbAuth } from './auth.ts';
import { sendWbError, sendWbGatewayError } from './errors.ts';
import { type WbCategory, type WbLimit, wbDefaultLimits, wbRateLimit } from './rate-limit.ts';
import { dbsRoutes } from './routes-dbs.ts';
import { fbsRoutes } from './routes-fbs.ts';
import { statisticsRoutes } from './routes-statistics.ts';
import { WbSeller } from './seller.ts';
import { WbState } from './state.ts';

export type { WbCreateOrderInput, WbItemInput } from './seller.ts';
export type { WbStatus, WbSupplierStatus } from './statuses.ts';
export type { WbDbsClient, WbOrder } from './types.ts';

export interface WildberriesEmulatorOptions {
	port?: number;
	clock?: Clock;
	/** Accepted API tokens → seller id; default one token `wb-test-token` for seller 1. */
	tokens?: Record<string, number>;
	limits?: Partial<Record<WbCategory, WbLimit>>;
}

export interface WildberriesEmulator extends RunningEmulator {
	readonly state: WbState;
	readonly requests: RequestLog;
	readonly faults: FaultInjector;
	/** Create carts and move assembly tasks through statuses. */
	readonly seller: WbSeller;
	readonly clock: Clock;
}

export const wbDefaultToken = 'wb-test-token';

/**
 * Starts a Wildberries seller API emulator on loopback. One server answers for every WB host
 * (marketplace-api, statistics-api): point each base URL at `url`.
 */
export async function startWildberriesEmulator(
	options: WildberriesEmulatorOptions = {},
): Promise<WildberriesEmulator> {
	const clock = options.clock ?? systemClock;
	const state = new WbState();
	for (const [token, sellerId] of Object.entries(options.tokens ?? { [wbDefaultToken]: 1 })) {
		state.tokens.set(token, sellerId);
	}
	const seller = new WbSeller(state, clock);
	const { app, requests, faults } = createEmulatorBase();

	app.use(wbAuth(state, clock));
	app.use(wbRateLimit(state, { ...wbDefaultLimits, ...options.limits }, clock));
	// Faults after the limiter, so an injected 409 is charged as the 10 requests WB counts it as.
	app.use(
		faultMiddleware(faults, (fault, res) => {
			if (fault.kind === 'rate-limit') {
				res.setHeader('X-Ratelimit-Retry', String(fault.retryAfterSeconds ?? 1));
				res.setHeader('X-Ratelimit-Remaining', '0');
				return sendWbGatewayError(res, 429, 'limited by fault', 's2s-api-auth-marketplace', clock.now());
			}
			if (fault.kind === 'expired-token') {
				return sendWbGatewayError(res, 401, 'token expired', 's2s-api-auth-marketplace', clock.now());
			}
			sendWbError(res, fault.status, 'InternalServerError', 'Внутренняя ошибка сервиса');
		}),
	);
	app.use(fbsRoutes(state, clock));
	app.use(dbsRoutes(state, clock));
	app.use(statisticsRoutes(state));
	app.use((_req, res) => sendWbError(res, 404, 'NotFound', 'Не найдено'));
	app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
		sendWbError(res, 400, 'IncorrectRequestBody', `Некорректное тело запроса: ${error.message}`);
	});

	const running = await listen(app, options.port);
	return { ...running, state, requests, faults, seller, clock };
}
