import { CustomerSchema, IdSchema } from '@nitka/shared';
import express from 'express';
import { z } from 'zod';
import { getCustomerView } from '../../core/customers/customer-view.ts';
import {
	AuthenticationError,
	ConflictError,
	NitkaError,
	NotFoundError,
	UnavailableError,
	ValidationError,
} from '../../core/errors.ts';
import { BackfillProgressSchema } from '../../hosts/bitrix24/backfill-state.ts';
import { Bitrix24ApiError } from '../../hosts/bitrix24/errors.ts';
import type { Bitrix24Runtime } from '../../hosts/bitrix24/runtime.ts';
import { Bitrix24SettingsSchema, OpenLineSchema } from '../../hosts/bitrix24/schemas.ts';
import { FrameAuthRejectedError, PortalBusyError, UnknownPortalError } from '../../hosts/bitrix24/session.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TenantParams = z.object({ tenantId: IdSchema });
const SessionBody = z.object({
	domain: z.string().min(3).max(255),
	memberId: z.string().min(1).max(64),
	accessToken: z.string().min(8).max(512),
	placement: z.string().max(100).optional(),
	placementOptions: z.unknown().optional(),
});
const SessionAnswer = z.object({
	token: z.string(),
	tenantId: IdSchema,
	expiresAt: z.string(),
	user: z.object({ id: z.string(), name: z.string(), isAdmin: z.boolean() }),
	language: z.string(),
});

/** A portal REST failure as an API answer: the portal's refusal is not our 500. */
function hostError(error: unknown): never {
	if (error instanceof NitkaError) throw error;
	if (error instanceof Bitrix24ApiError) {
		if (error.code === 'NO_AUTH_FOUND')
			throw new ConflictError('the Bitrix24 app is not installed on this portal');
		throw new NitkaError('host_unavailable', 502, `Bitrix24 answered ${error.code}`);
	}
	throw error;
}

/**
 * Bitrix24 host: the install form and event intake (portal → connector), the frame's session
 * exchange, and the tenant's Bitrix24 settings and CRM card resolution (UI → connector).
 */
export function bitrix24Routes(ctx: AppContext) {
	const runtime = (): Bitrix24Runtime => {
		if (!ctx.bitrix24)
			throw new NitkaError('host_not_configured', 503, 'Bitrix24 is not configured on this server');
		return ctx.bitrix24;
	};
	const backfill = () => {
		const found = runtime().backfill;
		if (!found) throw new NitkaError('host_not_configured', 503, 'the Bitrix24 backfill has no order source');
		return found;
	};
	const form = express.text({ type: () => true, limit: ctx.bodyLimit });
	return [
		defineRoute({
			method: 'post',
			path: '/hosts/bitrix24/install',
			summary: 'Install handler: the portal install form POST or ONAPPINSTALL',
			tags: ['bitrix24'],
			auth: 'webhook',
			body: z.string(),
			bodyContentType: 'application/x-www-form-urlencoded',
			responses: {
				200: {
					description: 'installed: tenant created or reactivated, events and tabs bound',
					contentType: 'text/html',
				},
				401: { description: 'the portal did not accept the tokens' },
			},
			before: [form],
			handler: async ({ body, req, res }) => {
				const result = await runtime()
					.install(body, req.query as Record<string, unknown>)
					.catch(hostErrorOrStatus);
				const ok = Object.keys(result.failed).length === 0;
				if (!ok)
					ctx.logger.warn({ tenant: result.tenantId, failed: result.failed }, 'bitrix24 bindings incomplete');
				res
					.status(200)
					.type('html')
					.send(
						`<!doctype html><meta charset="utf-8"><title>Nitka</title><p>${ok ? 'Nitka is installed.' : 'Nitka is installed; some bindings failed and are retried on the next install.'}</p>`,
					);
			},
		}),
		defineRoute({
			method: 'post',
			path: '/hosts/bitrix24/events',
			summary:
				'Event handler: ONIMCONNECTORMESSAGEADD, ONCRMCONTACT*, ONAPPUNINSTALL (application_token checked)',
			tags: ['bitrix24'],
			auth: 'webhook',
			body: z.string(),
			bodyContentType: 'application/x-www-form-urlencoded',
			responses: {
				200: {
					description: 'stored (or a redelivery), or uninstalled',
					schema: z.object({ ok: z.literal(true) }),
				},
				401: { description: 'application_token does not match the install' },
				404: { description: 'unknown portal' },
			},
			before: [form],
			handler: async ({ body, req }) => {
				const outcome = await runtime().handleEvent(body);
				if (outcome === 'forbidden') {
					ctx.logger.warn({ ip: req.ip }, 'bitrix24 event with a wrong application_token');
					throw new AuthenticationError('application_token does not match');
				}
				if (outcome === 'unknown-portal') throw new NotFoundError('portal');
				return { ok: true as const };
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/hosts/bitrix24/session',
			summary: "Exchanges the app frame's auth (verified against the portal) for a 15-minute session token",
			tags: ['bitrix24'],
			auth: 'none',
			body: SessionBody,
			responses: {
				200: { description: 'a session token scoped to the portal tenant', schema: SessionAnswer },
				401: { description: 'the portal rejected the frame token' },
				404: { description: 'no install for that member_id' },
				502: { description: 'the portal failed or answered unexpectedly' },
				503: { description: 'the portal is over its request limit; see Retry-After' },
			},
			handler: async ({ body }) => {
				try {
					return await runtime().session(body);
				} catch (error) {
					if (error instanceof UnknownPortalError) throw new NotFoundError('Bitrix24 portal');
					if (error instanceof FrameAuthRejectedError)
						throw new AuthenticationError('the portal rejected the frame auth');
					if (error instanceof PortalBusyError)
						throw new UnavailableError('the Bitrix24 portal is busy; retry shortly', error.retryAfterSeconds);
					hostError(error);
				}
			},
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/bitrix24/entities/:entityType/:entityId/customer',
			summary:
				'The customer behind a CRM card (deal/lead → contact → customer), linking a contact Nitka has not seen',
			tags: ['bitrix24'],
			auth: 'apiKey',
			params: TenantParams.extend({
				entityType: z.enum(['contact', 'deal', 'lead']),
				entityId: z.string().regex(/^\d{1,18}$/),
			}),
			responses: {
				200: {
					description:
						'the customer; for a deal Nitka made from a marketplace order, that order (`source`, `orderId`)',
					schema: z.object({
						customer: CustomerSchema,
						order: z.object({ source: z.string(), orderId: z.string() }).nullable(),
					}),
				},
				404: { description: 'the card has no contact yet (a lead: no customer has its phone or e-mail)' },
			},
			handler: async ({ params }) => {
				const found = await runtime()
					.customerOfEntity(params.tenantId, params.entityType, params.entityId)
					.catch(hostError);
				if (!found) throw new NotFoundError(`a customer for ${params.entityType} ${params.entityId}`);
				return {
					customer: await getCustomerView(ctx.db, params.tenantId, found.customerId),
					order: found.order,
				};
			},
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/bitrix24/settings',
			summary: 'The chosen open line and the deal pipeline with its stage map per marketplace',
			tags: ['bitrix24'],
			auth: 'apiKey',
			params: TenantParams,
			responses: { 200: { description: 'settings', schema: Bitrix24SettingsSchema } },
			handler: async ({ params }) => await runtime().settings(params.tenantId),
		}),
		defineRoute({
			method: 'put',
			path: '/api/v1/tenants/:tenantId/bitrix24/settings',
			summary: 'Saves the settings; a newly chosen open line is activated for the Nitka connector',
			tags: ['bitrix24'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: Bitrix24SettingsSchema,
			responses: { 200: { description: 'saved settings', schema: Bitrix24SettingsSchema } },
			handler: async ({ params, body }) =>
				await runtime().saveSettings(params.tenantId, body).catch(hostError),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/bitrix24/open-lines',
			summary: "The portal's open lines (imopenlines.config.list.get)",
			tags: ['bitrix24'],
			auth: 'apiKey',
			params: TenantParams,
			responses: { 200: { description: 'open lines', schema: z.object({ items: z.array(OpenLineSchema) }) } },
			handler: async ({ params }) => ({ items: await runtime().openLines(params.tenantId).catch(hostError) }),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/bitrix24/backfill',
			summary: "Starts (or resumes) turning the tenant's stored marketplace orders into deals",
			tags: ['bitrix24'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			responses: { 202: { description: 'started, or already running', schema: BackfillProgressSchema } },
			handler: async ({ params }) => await backfill().start(params.tenantId).catch(hostError),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/bitrix24/backfill',
			summary: 'Progress of the deal backfill',
			tags: ['bitrix24'],
			auth: 'apiKey',
			params: TenantParams,
			responses: { 200: { description: 'progress', schema: BackfillProgressSchema } },
			handler: async ({ params }) => await backfill().progress(params.tenantId),
		}),
	];
}

function hostErrorOrStatus(error: unknown): never {
	if (error instanceof z.ZodError) throw new ValidationError('not a Bitrix24 install request');
	if (error instanceof Bitrix24ApiError && error.status >= 400 && error.status < 500) {
		throw new NitkaError(
			'install_rejected',
			error.status === 409 ? 409 : error.status === 400 ? 400 : 401,
			error.message,
		);
	}
	return hostError(error);
}
