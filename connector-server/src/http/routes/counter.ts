import {
	CardTokenResultSchema,
	CounterActionResultSchema,
	CounterDeviceSchema,
	CounterIdentifyRequestSchema,
	CounterLocationSchema,
	CounterNoteRequestSchema,
	CounterPickupListQuerySchema,
	CounterPickupListSchema,
	CounterPickupRequestSchema,
	CounterPickupSchema,
	CounterPurchaseRequestSchema,
	CounterRedeemRequestSchema,
	CounterReturnRequestSchema,
	CounterSessionSchema,
	CounterVisitRequestSchema,
	CreateCounterDeviceRequestSchema,
	CreatedCounterDeviceSchema,
	CreateLocationRequestSchema,
	CustomerCardSchema,
	IdSchema,
	UpdateLocationRequestSchema,
} from '@nitka/shared';
import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { toIso } from '../../core/clock.ts';
import {
	type ActionContext,
	addNote,
	collectPickup,
	customerCard,
	identifyCustomer,
	issueCardToken,
	listPickups,
	markPickupReady,
	recordPurchase,
	recordReturn,
	recordVisit,
	redeemPromoCode,
} from '../../core/counter/actions.ts';
import { createDevice, listDevices, revokeDevice } from '../../core/counter/devices.ts';
import { IdempotencyKeyRequiredError } from '../../core/counter/errors.ts';
import { IDEMPOTENCY_KEY, requestHash, runIdempotent } from '../../core/counter/idempotency.ts';
import { createLocation, getLocation, listLocations, updateLocation } from '../../core/counter/locations.ts';
import type { CounterRuntime } from '../../core/counter/runtime.ts';
import { NitkaError } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import type { AppContext } from '../context.ts';
import { deviceOf } from '../counter-auth.ts';
import { sendProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

/** The counter runtime of a route's context; a server composed without it answers 503. */
function counterOf(ctx: AppContext): CounterRuntime {
	if (!ctx.counter) throw new NitkaError('counter_unavailable', 503, 'the counter is not configured');
	return ctx.counter;
}

const IdempotencyHeaderSchema = z.object({
	'Idempotency-Key': z
		.string()
		.regex(IDEMPOTENCY_KEY)
		.describe('One per confirmed action; a retry with the same key and body answers the first response'),
});

function idempotencyKeyOf(req: Request): string {
	const key = req.get('idempotency-key');
	if (!key || !IDEMPOTENCY_KEY.test(key)) throw new IdempotencyKeyRequiredError();
	return key;
}

/**
 * Runs one counter action idempotently: the key row and the action commit together; the answer
 * waits until the commit is durable. A replay answers the stored response with
 * `Idempotent-Replayed: true`.
 */
async function runAction(
	ctx: AppContext,
	req: Request,
	res: Response,
	body: unknown,
	status: number,
	action: (tx: Db, runtime: CounterRuntime, actionContext: ActionContext) => Promise<unknown>,
): Promise<undefined> {
	const runtime = counterOf(ctx);
	const device = deviceOf(res);
	const actionId = idempotencyKeyOf(req);
	const now = ctx.clock.now();
	const outcome = await runIdempotent(
		ctx.db,
		{
			tenantId: device.tenantId,
			deviceId: device.deviceId,
			actionId,
			requestHash: requestHash(req.method, `${req.baseUrl}${req.path}`, body),
		},
		now,
		async (tx) => ({ status, body: await action(tx, runtime, { device, actionId, now }) }),
	);
	await runtime.durable();
	if (!outcome.replayed) runtime.committed();
	res.set('Idempotent-Replayed', String(outcome.replayed));
	res.status(outcome.status).json(outcome.body);
	return undefined;
}

const CustomerParams = z.object({ customerId: IdSchema });
const TAGS = ['counter'];

/** The counter API: a device at a location identifies customers and records what happens there. */
function counterDeviceRoutes(ctx: AppContext) {
	// Phone and loyalty lookups are rate-limited per device, so a stolen tablet cannot enumerate
	// customers; a scanned QR (signed, single-use) is not counted.
	const identifyLimiter = ctx.counter
		? rateLimit({
				windowMs: ctx.counter.identifyLimit.windowMs,
				limit: ctx.counter.identifyLimit.limit,
				standardHeaders: 'draft-8',
				legacyHeaders: false,
				keyGenerator: (_req, res) => `device:${String(deviceOf(res).deviceId)}`,
				skip: (req) => {
					const body = req.body as Record<string, unknown> | undefined;
					return !body || !('phone' in body || 'loyalty' in body);
				},
				handler: (_req, res) =>
					sendProblem(res, {
						status: 429,
						code: 'rate_limited',
						detail:
							'too many lookups by phone or card from this device; scan the customer’s QR or retry later',
					}),
			})
		: undefined;

	return [
		defineRoute({
			method: 'get',
			path: '/api/v1/counter/session',
			summary: 'The calling device, its location and the shop',
			tags: TAGS,
			auth: 'counterDevice',
			responses: { 200: { description: 'the session', schema: CounterSessionSchema } },
			handler: async ({ res }) => {
				const device = deviceOf(res);
				const location = await getLocation(ctx.db, device.tenantId, device.locationId);
				const tenant = await ctx.db
					.selectFrom('tenants')
					.select(['id', 'name'])
					.where('id', '=', device.tenantId)
					.executeTakeFirstOrThrow();
				return { device: { id: device.deviceId, name: device.name }, location, shop: tenant };
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/identify',
			summary: 'Identifies a customer by a QR (spent here), a phone or a loyalty number; answers the card',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			body: CounterIdentifyRequestSchema,
			before: identifyLimiter ? [identifyLimiter] : [],
			responses: {
				200: { description: 'the customer card', schema: CustomerCardSchema },
				400: { description: 'a forged, malformed or other shop’s QR (`token-invalid`)' },
				404: { description: 'no such customer (`customer-unknown`)' },
				409: { description: 'a QR already used (`token-used`)' },
				410: { description: 'an expired QR (`token-expired`)' },
				422: { description: 'the Idempotency-Key was used for another request' },
				429: { description: 'too many phone or card lookups from this device' },
			},
			handler: async ({ body, req, res }) =>
				await runAction(ctx, req, res, body, 200, (tx, runtime, action) =>
					identifyCustomer(tx, runtime, action.device, body, action.now),
				),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/counter/customers/:customerId',
			summary: 'The customer card again (after an action)',
			tags: TAGS,
			auth: 'counterDevice',
			params: CustomerParams,
			responses: {
				200: { description: 'the customer card', schema: CustomerCardSchema },
				404: { description: 'no such customer' },
			},
			handler: async ({ params, res }) => {
				const device = deviceOf(res);
				return await ctx.db
					.transaction()
					.execute((tx) => customerCard(tx, device, params.customerId, ctx.clock.now()));
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/customers/:customerId/visits',
			summary: 'Records a visit (`pos.visit`)',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: CustomerParams,
			body: CounterVisitRequestSchema,
			responses: { 201: { description: 'recorded', schema: CounterActionResultSchema } },
			handler: async ({ params, body, req, res }) =>
				await runAction(ctx, req, res, body, 201, (tx, runtime, action) =>
					recordVisit(tx, runtime, action, params.customerId, body),
				),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/customers/:customerId/purchases',
			summary: 'Records a till receipt (`pos.purchase`), once per receipt id whichever device sends it',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: CustomerParams,
			body: CounterPurchaseRequestSchema,
			responses: {
				201: {
					description: 'recorded; `duplicate` when the receipt was already recorded',
					schema: CounterActionResultSchema,
				},
			},
			handler: async ({ params, body, req, res }) =>
				await runAction(ctx, req, res, body, 201, (tx, runtime, action) =>
					recordPurchase(tx, runtime, action, params.customerId, body),
				),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/customers/:customerId/pickups',
			summary: 'The customer collects a pickup order here (`pos.pickup`; the order becomes delivered)',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: CustomerParams,
			body: CounterPickupRequestSchema,
			responses: {
				201: { description: 'collected', schema: CounterActionResultSchema },
				409: { description: 'not a pickup of this customer here, or already collected (`pickup-state`)' },
			},
			handler: async ({ params, body, req, res }) =>
				await runAction(ctx, req, res, body, 201, (tx, runtime, action) =>
					collectPickup(tx, runtime, action, params.customerId, body),
				),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/customers/:customerId/returns',
			summary: 'Accepts a return (`pos.return`); with a return QR or an approved return it becomes received',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: CustomerParams,
			body: CounterReturnRequestSchema,
			responses: {
				201: { description: 'recorded', schema: CounterActionResultSchema },
				409: { description: 'the return is not approved or not this customer’s (`return-state`)' },
			},
			handler: async ({ params, body, req, res }) =>
				await runAction(ctx, req, res, body, 201, (tx, runtime, action) =>
					recordReturn(tx, runtime, action, params.customerId, body),
				),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/customers/:customerId/promo-redemptions',
			summary: 'Redeems a personal promo code once (`promo.redeemed`)',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: CustomerParams,
			body: CounterRedeemRequestSchema,
			responses: {
				201: { description: 'redeemed', schema: CounterActionResultSchema },
				404: { description: 'no such code (`code-unknown`)' },
				409: {
					description: 'already redeemed (`code-redeemed`) or another customer’s (`code-other-customer`)',
				},
				410: { description: 'expired (`code-expired`)' },
			},
			handler: async ({ params, body, req, res }) =>
				await runAction(ctx, req, res, body, 201, (tx, runtime, action) =>
					redeemPromoCode(tx, runtime, action, params.customerId, body),
				),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/customers/:customerId/notes',
			summary: 'Notes a preference (`note`)',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: CustomerParams,
			body: CounterNoteRequestSchema,
			responses: { 201: { description: 'noted', schema: CounterActionResultSchema } },
			handler: async ({ params, body, req, res }) =>
				await runAction(ctx, req, res, body, 201, (tx, runtime, action) =>
					addNote(tx, runtime, action, params.customerId, body),
				),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/counter/pickups',
			summary: 'This location’s pickup orders to prepare or ready',
			tags: TAGS,
			auth: 'counterDevice',
			query: CounterPickupListQuerySchema,
			responses: { 200: { description: 'pickup orders, oldest first', schema: CounterPickupListSchema } },
			handler: async ({ query, res }) => ({ items: await listPickups(ctx.db, deviceOf(res), query.state) }),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/counter/pickups/:orderId/ready',
			summary: 'Marks a pickup order ready; the customer is told in their chat',
			tags: TAGS,
			auth: 'counterDevice',
			headers: IdempotencyHeaderSchema,
			params: z.object({ orderId: IdSchema }),
			responses: {
				200: { description: 'the pickup', schema: CounterPickupSchema },
				409: { description: 'not a pickup here, or already collected or cancelled (`pickup-state`)' },
			},
			handler: async ({ params, req, res }) =>
				await runAction(ctx, req, res, {}, 200, (tx, runtime, action) =>
					markPickupReady(tx, runtime, action, params.orderId),
				),
		}),
	];
}

const TenantParams = z.object({ tenantId: IdSchema });
const LocationParams = z.object({ tenantId: IdSchema, locationId: IdSchema });
const ADMIN_TAGS = ['counter admin'];

/** A shop's locations, their counter devices, and card tokens for hosts that draw the card. */
function counterAdminRoutes(ctx: AppContext) {
	return [
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/locations',
			summary: 'The shop’s stores and pickup points',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			responses: {
				200: { description: 'locations', schema: z.object({ items: z.array(CounterLocationSchema) }) },
			},
			handler: async ({ params }) => ({ items: await listLocations(ctx.db, params.tenantId) }),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/locations',
			summary: 'Adds a store or pickup point',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: CreateLocationRequestSchema,
			responses: { 201: { description: 'the location', schema: CounterLocationSchema } },
			handler: async ({ params, body }) =>
				await createLocation(ctx.db, params.tenantId, body, ctx.clock.now()),
		}),
		defineRoute({
			method: 'patch',
			path: '/api/v1/tenants/:tenantId/locations/:locationId',
			summary: 'Renames, moves or closes a location (a closed location’s devices are refused)',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: LocationParams,
			body: UpdateLocationRequestSchema,
			responses: {
				200: { description: 'the location', schema: CounterLocationSchema },
				404: { description: 'no such location' },
			},
			handler: async ({ params, body }) =>
				await updateLocation(ctx.db, params.tenantId, params.locationId, body, ctx.clock.now()),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/locations/:locationId/devices',
			summary: 'Adds a counter device; its key (`nkc_…`) is in this answer only',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: LocationParams,
			body: CreateCounterDeviceRequestSchema,
			responses: {
				201: { description: 'the device and its key', schema: CreatedCounterDeviceSchema },
				404: { description: 'no such active location' },
			},
			handler: async ({ params, body }) =>
				await createDevice(ctx.db, params.tenantId, params.locationId, body.name, ctx.clock.now()),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/locations/:locationId/devices',
			summary: 'A location’s counter devices (never their keys)',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: LocationParams,
			responses: {
				200: { description: 'devices', schema: z.object({ items: z.array(CounterDeviceSchema) }) },
				404: { description: 'no such location' },
			},
			handler: async ({ params }) => ({
				items: await listDevices(ctx.db, params.tenantId, params.locationId),
			}),
		}),
		defineRoute({
			method: 'delete',
			path: '/api/v1/tenants/:tenantId/devices/:deviceId',
			summary: 'Revokes a counter device’s key at once',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: z.object({ tenantId: IdSchema, deviceId: IdSchema }),
			responses: {
				200: { description: 'the revoked device', schema: CounterDeviceSchema },
				404: { description: 'no such device' },
			},
			handler: async ({ params }) =>
				await revokeDevice(ctx.db, params.tenantId, params.deviceId, ctx.clock.now()),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/customers/:customerId/card-token',
			summary: 'A fresh card QR token and the loyalty number, for hosts that draw the customer’s card',
			tags: ADMIN_TAGS,
			auth: 'apiKey',
			params: z.object({ tenantId: IdSchema, customerId: IdSchema }),
			responses: {
				201: { description: 'the token (lives 120 s) and the loyalty number', schema: CardTokenResultSchema },
				404: { description: 'no such customer' },
			},
			handler: async ({ params }) => {
				const runtime = counterOf(ctx);
				const now = ctx.clock.now();
				const issued = await ctx.db
					.transaction()
					.execute((tx) => issueCardToken(tx, runtime.keys, params.tenantId, params.customerId, now));
				await runtime.durable();
				return {
					token: issued.token,
					expiresAt: toIso(issued.expiresAt),
					loyaltyNumber: issued.loyaltyNumber,
				};
			},
		}),
	];
}

export function counterRoutes(ctx: AppContext) {
	return [...counterDeviceRoutes(ctx), ...counterAdminRoutes(ctx)];
}
