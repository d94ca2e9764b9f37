import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { createAppPage } from '../hosts/bitrix24/app-page.ts';
import { requireApiKey } from './auth.ts';
import { cardPages } from './card-page.ts';
import type { AppContext } from './context.ts';
import { requireCounterDevice } from './counter-auth.ts';
import { counterScreenPage } from './counter-screen.ts';
import { type LoggableRequest, loggedPath } from './log-path.ts';
import { buildOpenApi } from './openapi.ts';
import { errorHandler, notFoundHandler, sendProblem } from './problem.ts';
import { requestId, requestMetrics } from './request-context.ts';
import { returnPages } from './return-page.ts';
import { type RouteDefinition, toExpressHandler } from './route.ts';
import { bitrix24Routes } from './routes/bitrix24.ts';
import { connectionRoutes } from './routes/connections.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { counterRoutes } from './routes/counter.ts';
import { customerRoutes } from './routes/customers.ts';
import { healthRoutes } from './routes/health.ts';
import { identityRoutes } from './routes/identity.ts';
import { linkRoutes } from './routes/links.ts';
import { marketplaceRoutes } from './routes/marketplaces.ts';
import { mediaRoutes } from './routes/media.ts';
import { operationsRoutes } from './routes/operations.ts';
import { promoRoutes } from './routes/promos.ts';
import { returnRoutes } from './routes/returns.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { woocommerceRoutes } from './routes/woocommerce.ts';

/** Every HTTP route of the server. OpenAPI is generated from this list, so it covers them all. */
export function allRoutes(ctx: AppContext): RouteDefinition[] {
	return [
		...healthRoutes(ctx),
		...webhookRoutes(ctx),
		...customerRoutes(ctx),
		...identityRoutes(ctx),
		...operationsRoutes(ctx),
		...connectionRoutes(ctx),
		...conversationRoutes(ctx),
		...linkRoutes(ctx),
		...marketplaceRoutes(ctx),
		...mediaRoutes(ctx),
		...woocommerceRoutes(ctx),
		...bitrix24Routes(ctx),
		...counterRoutes(ctx),
		...promoRoutes(ctx),
		...returnRoutes(ctx),
	];
}

export function createHttpApp(ctx: AppContext, apiRateLimit: number): Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', 'loopback');
	app.use(requestId);
	// The bitrix-app answers before the global helmet: only its frame headers are loosened.
	const bitrixApp = createAppPage(ctx.bitrix24?.appDist);
	if (bitrixApp) app.use('/bitrix24/app', bitrixApp);
	app.use(helmet());
	app.use(requestMetrics(ctx.metrics));
	app.use(
		pinoHttp({
			logger: ctx.logger,
			genReqId: (_req, res) => String(res.getHeader('X-Request-Id')),
			// The request is serialised when the line is written, at the response's end: only then is the
			// matched route known, and its pattern is logged instead of a path that may carry a push secret.
			quietReqLogger: true,
			quietResLogger: true,
			customSuccessObject: (req, _res, line) => ({ ...line, req }),
			customErrorObject: (req, _res, _error, line) => ({ ...line, req }),
			// Method, route and status only: bodies, queries and headers may carry personal data or secrets.
			serializers: {
				req: (req: { method: string; raw: LoggableRequest }) => ({
					method: req.method,
					path: loggedPath(req.raw),
				}),
				res: (res: { statusCode: number | null; raw?: { statusCode: number } }) => ({
					status: res.raw?.statusCode ?? res.statusCode,
				}),
			},
			autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
			// Successful requests are debug-level: at webhook rates an info line per request would cost more than the request.
			customLogLevel: (_req, res, error) =>
				error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
		}),
	);
	app.use(
		'/api',
		rateLimit({
			windowMs: 60_000,
			limit: apiRateLimit,
			standardHeaders: 'draft-8',
			legacyHeaders: false,
			handler: (_req, res) =>
				sendProblem(res, { status: 429, code: 'rate_limited', detail: 'too many requests; retry later' }),
		}),
		express.json({ limit: ctx.bodyLimit }),
	);

	const routes = allRoutes(ctx);
	const openapi = buildOpenApi(
		[
			...routes,
			{
				method: 'get',
				path: '/api/openapi.json',
				summary: 'This OpenAPI document',
				tags: ['operations'],
				auth: 'none',
				responses: { 200: { description: 'OpenAPI 3.0 document' } },
				handler: async () => undefined,
			},
		],
		{ version: ctx.version, serverUrl: ctx.publicUrl },
	);
	app.get('/api/openapi.json', (_req, res) => {
		res.json(openapi);
	});
	const apiKey = requireApiKey(ctx.db, ctx.clock, ctx.sessions);
	// A counter route authenticates its device first: its `before` (a per-device limiter) needs it.
	const counterDevice = requireCounterDevice(ctx.db, ctx.clock);
	for (const route of routes) {
		const chain: RequestHandler[] = route.auth === 'counterDevice' ? [counterDevice] : [];
		chain.push(...(route.before ?? []));
		if (route.auth === 'apiKey') chain.push(apiKey);
		chain.push(toExpressHandler(route));
		app[route.method](route.path, ...chain);
	}
	// The customer's card page (HTML, its own strict CSP), outside the API's route table.
	app.use(cardPages(ctx));
	// The return QR page (journey 3): the approved return's single-use QR, same strict page rules.
	app.use(returnPages(ctx));
	// The counter screen (a static page built from connector-server/counter-screen/).
	app.use(counterScreenPage());
	app.use(notFoundHandler);
	app.use(errorHandler(ctx.logger));
	return app;
}
