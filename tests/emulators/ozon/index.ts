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
import { ozonAuth } from './auth.ts';
import { ozonErrors, sendKnownOzonError, sendOzonError } from './errors.ts';
import { OzonPushSender, ozonDefaultPushOptions } from './push-sender.ts';
import { type OzonLimits, ozonDefaultLimits, ozonRateLimit } from './rate-limit.ts';
import { retiredEndpoints } from './retired.ts';
import { fboRoutes } from './routes-fbo.ts';
import { fbsRoutes } from './routes-fbs.ts';
import { OzonSeller } from './seller.ts';
import { OzonState } from './state.ts';

export type { OzonPushDelivery, OzonPushMessage, OzonPushVerdict } from './push-types.ts';
export type { CreatePostingInput, GenerateInput } from './seller.ts';
export { type OzonScheme, type OzonStatus, ozonFboStatuses, ozonFbsStatuses } from './statuses.ts';
export type { OzonPosting } from './types.ts';

export interface OzonEmulatorOptions {
	port?: number;
	clock?: Clock;
	/** Accepted Client-Id / Api-Key pairs; default one pair, `123456` / `ozon-test-api-key`. */
	credentials?: { clientId: string; apiKey: string }[];
	limits?: Partial<OzonLimits>;
	push?: { deadlineMs?: number; abortAfterMs?: number; minOkShare?: number; minSample?: number };
	sellerId?: number;
	/** Serve (and count) or refuse the endpoints Ozon retired on 2026-08-31; default serve. */
	retiredEndpoints?: 'serve' | 'reject';
	/** Whether /v4 lists wrap their answer in `result` (unconfirmed, research §5.3); default bare. */
	v4Envelope?: 'bare' | 'result';
}

export interface OzonEmulator extends RunningEmulator {
	readonly state: OzonState;
	readonly requests: RequestLog;
	readonly faults: FaultInjector;
	/** Create postings and move them through statuses, as buyers, Ozon and the seller would. */
	readonly seller: OzonSeller;
	/** Push notifications to the connector, with contract checks. */
	readonly push: OzonPushSender;
	readonly clock: Clock;
}

export const ozonDefaultCredentials = { clientId: '123456', apiKey: 'ozon-test-api-key' } as const;

/** Starts an Ozon Seller API emulator on loopback. */
export async function startOzonEmulator(options: OzonEmulatorOptions = {}): Promise<OzonEmulator> {
	const clock = options.clock ?? systemClock;
	const state = new OzonState();
	for (const c of options.credentials ?? [ozonDefaultCredentials]) state.keys.set(c.clientId, c.apiKey);
	const push = new OzonPushSender({ clock, ...ozonDefaultPushOptions, ...options.push });
	const seller = new OzonSeller(state, push, clock, options.sellerId ?? 15);
	const { app, requests, faults } = createEmulatorBase();

	app.use(
		faultMiddleware(faults, (fault, res) => {
			if (fault.kind === 'rate-limit') return sendKnownOzonError(res, ozonErrors.rateLimit);
			if (fault.kind === 'expired-token') return sendKnownOzonError(res, ozonErrors.deactivatedKey);
			sendOzonError(res, fault.status, fault.status === 503 ? 14 : 13, 'Internal error');
		}),
	);
	app.use(ozonAuth(state));
	app.use(ozonRateLimit(state, { ...ozonDefaultLimits, ...options.limits }, clock));
	app.use(retiredEndpoints(state, options.retiredEndpoints ?? 'serve'));
	app.use(fbsRoutes(state, { v4Envelope: options.v4Envelope ?? 'bare' }));
	app.use(fboRoutes(state));
	app.use((_req, res) => sendOzonError(res, 404, 5, 'Not Found'));
	// Malformed JSON bodies get Ozon's envelope rather than express's HTML page.
	app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
		sendOzonError(res, 400, 3, `invalid request body: ${error.message}`);
	});

	const running = await listen(app, options.port);
	return {
		...running,
		close: async () => {
			await push.idle();
			await running.close();
		},
		state,
		requests,
		faults,
		seller,
		push,
		clock,
	};
}
