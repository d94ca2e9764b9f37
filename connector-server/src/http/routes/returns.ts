import { IdSchema, ReturnDtoSchema, ReturnSettingsSchema, ReturnStateSchema } from '@nitka/shared';
import { z } from 'zod';
import { NitkaError } from '../../core/errors.ts';
import type { ReturnsRuntime } from '../../core/returns/runtime.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TAGS = ['returns'];
const TenantParams = z.object({ tenantId: IdSchema });
const ReturnParams = z.object({ tenantId: IdSchema, returnId: IdSchema });

function returnsOf(ctx: AppContext): ReturnsRuntime {
	if (!ctx.returns) throw new NitkaError('returns_unavailable', 503, 'returns are not configured');
	return ctx.returns;
}

/** Journey 3's admin API: ticket settings, the shop's returns, approval for hosts without events. */
export function returnRoutes(ctx: AppContext) {
	return [
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/return-settings',
			summary: 'How return requests become host tickets (task or deal, responsible, pipeline, QR lifetime)',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			responses: { 200: { description: 'the settings', schema: ReturnSettingsSchema } },
			handler: async ({ params }) => await returnsOf(ctx).settings(params.tenantId),
		}),
		defineRoute({
			method: 'put',
			path: '/api/v1/tenants/:tenantId/return-settings',
			summary: 'Saves the return settings; a Bitrix24 portal is bound to its task and deal update events',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: ReturnSettingsSchema,
			responses: { 200: { description: 'the settings saved', schema: ReturnSettingsSchema } },
			handler: async ({ params, body }) => await returnsOf(ctx).saveSettings(params.tenantId, body),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/returns',
			summary: 'The shop’s returns, newest first',
			tags: TAGS,
			auth: 'apiKey',
			params: TenantParams,
			query: z.object({
				state: ReturnStateSchema.optional(),
				limit: z.coerce.number().int().min(1).max(200).default(50),
			}),
			responses: { 200: { description: 'returns', schema: z.object({ items: z.array(ReturnDtoSchema) }) } },
			handler: async ({ params, query }) => ({
				items: await returnsOf(ctx).list(params.tenantId, query.state, query.limit),
			}),
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/returns/:returnId',
			summary: 'One return',
			tags: TAGS,
			auth: 'apiKey',
			params: ReturnParams,
			responses: {
				200: { description: 'the return', schema: ReturnDtoSchema },
				404: { description: 'no such return' },
			},
			handler: async ({ params }) => await returnsOf(ctx).get(params.tenantId, params.returnId),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/returns/:returnId/approve',
			summary:
				'Approves a requested return (hosts without ticket events): the customer gets a return QR in their chat; idempotent',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: ReturnParams,
			responses: {
				200: {
					description: 'the return (approved, or as it was when not requested)',
					schema: ReturnDtoSchema,
				},
				404: { description: 'no such return' },
			},
			handler: async ({ params }) => await returnsOf(ctx).approve(params.tenantId, params.returnId, 'api'),
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/returns/:returnId/reject',
			summary:
				'Rejects a requested or approved return: the customer is told in their chat, a return QR stops working; idempotent',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: ReturnParams,
			responses: {
				200: {
					description: 'the return (rejected, or as it was when already closed)',
					schema: ReturnDtoSchema,
				},
				404: { description: 'no such return' },
			},
			handler: async ({ params }) => await returnsOf(ctx).reject(params.tenantId, params.returnId, 'api'),
		}),
	];
}
