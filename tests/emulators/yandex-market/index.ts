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
import { ymAuth } from './auth.ts';
import { sendYmError } from './errors.ts';
import { type YmLimits, ymDefaultLimits, ymParallelLimit, ymResourceLimits } from './limits.ts';
import { YmNotificationSender, ymDefaultNotificationOptions } from './notification-sender.ts';
import { businessRoutes } from './routes-business.ts';
import { campaignRoutes } from './routes-campaign.ts';
import { YmSeller } from './seller.ts';
import { YmState } from './state.ts';
import type { YmCampaign } from './types.ts';

export type { YmNotification, YmNotificationDelivery, YmNotificationVerdict } from './notification-sender.ts';
export type { YmCreateOrderInput } from './seller.ts';
export { type YmProgram, type YmStatus, ymStatuses } from './statuses.ts';
export type { YmBuyer, YmCampaign, YmOrder } from './types.ts';

export interface YandexMarketEmulatorOptions {
	port?: number;
	clock?: Clock;
	/** Api-Key → business id; default `ym-test-api-key` → 1001. */
	keys?: Record<string, number>;
	/** Campaigns (shops) of the businesses; default DBS 2001 and FBS 2002 in business 1001. */
	campaigns?: YmCampaign[];
	limits?: Partial<YmLimits>;
	notifications?: { deadlineMs?: number; pingDeadlineMs?: number; abortAfterMs?: number };
	/** Serve (and count) or switch off the deprecated campaign order lists; default serve. */
	deprecatedCampaignOrders?: 'serve' | 'off';
}

export interface YandexMarketEmulator extends RunningEmulator {
	readonly state: YmState;
	readonly requests: RequestLog;
	readonly faults: FaultInjector;
	readonly seller: YmSeller;
	readonly notifications: YmNotificationSender;
	readonly clock: Clock;
}

export const ymDefaults = {
	apiKey: 'ym-test-api-key',
	businessId: 1001,
	dbsCampaignId: 2001,
	fbsCampaignId: 2002,
} as const;

/** Starts a Yandex Market Partner API emulator on loopback. */
export async function startYandexMarketEmulator(
	options: YandexMarketEmulatorOptions = {},
): Promise<YandexMarketEmulator> {
	const clock = options.clock ?? systemClock;
	const state = new YmState();
	for (const [key, business] of Object.entries(
		options.keys ?? { [ymDefaults.apiKey]: ymDefaults.businessId },
	)) {
		state.keys.set(key, business);
	}
	const campaigns = options.campaigns ?? [
		{ campaignId: ymDefaults.dbsCampaignId, businessId: ymDefaults.businessId, programType: 'DBS' },
		{ campaignId: ymDefaults.fbsCampaignId, businessId: ymDefaults.businessId, programType: 'FBS' },
	];
	for (const c of campaigns) state.campaigns.set(c.campaignId, c);
	const limits = { ...ymDefaultLimits, ...options.limits };
	const notifications = new YmNotificationSender({
		clock,
		...ymDefaultNotificationOptions,
		...options.notifications,
	});
	const seller = new YmSeller(state, notifications, clock, campaigns[0]?.campaignId ?? 0);
	const { app, requests, faults } = createEmulatorBase();

	app.use(ymAuth(state));
	app.use(ymParallelLimit(state, limits.parallel));
	// Faults inside the parallel gate, so injected latency holds a slot the way a slow answer does.
	app.use(
		faultMiddleware(faults, (fault, res) => {
			if (fault.kind === 'rate-limit')
				return sendYmError(res, 420, 'LIMIT_EXCEEDED', 'Hit rate limit (injected)');
			if (fault.kind === 'expired-token') return sendYmError(res, 401, 'UNAUTHORIZED', 'Api-Key is expired');
			sendYmError(res, fault.status, 'INTERNAL_ERROR', 'Internal server error');
		}),
	);
	app.use(ymResourceLimits(state, limits.resources, clock));
	app.use(businessRoutes(state, clock));
	app.use(campaignRoutes(state, clock, options.deprecatedCampaignOrders ?? 'serve'));
	app.use((_req, res) => sendYmError(res, 404, 'NOT_FOUND', 'Resource not found'));
	app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
		sendYmError(res, 400, 'BAD_REQUEST', `Malformed request body: ${error.message}`);
	});

	const running = await listen(app, options.port);
	return {
		...running,
		close: async () => {
			await notifications.idle();
			await running.close();
		},
		state,
		requests,
		faults,
		seller,
		notifications,
		clock,
	};
}
