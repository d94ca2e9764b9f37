import {
	ConnectChannelRequestSchema,
	ConnectChannelResultSchema,
	ConnectionSchema,
	IdSchema,
} from '@nitka/shared';
import { z } from 'zod';
import { listConnections } from '../../core/tenants/connections.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { runtimeOf } from './channel-runtime.ts';

const TenantParams = z.object({ tenantId: IdSchema });

/** Connecting and disconnecting Telegram bots, VK communities and MAX bots by token. */
export function connectionRoutes(ctx: AppContext) {
	const base = '/api/v1/tenants/:tenantId/connections';
	return [
		defineRoute({
			method: 'post',
			path: base,
			summary: 'Connects a Telegram bot, VK community or MAX bot by its token (webhook or long polling)',
			tags: ['channels'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: ConnectChannelRequestSchema,
			responses: {
				201: { description: 'connected', schema: ConnectChannelResultSchema },
				400: { description: 'invalid input, or the platform rejected the token' },
				502: { description: 'the platform could not be reached' },
			},
			handler: async ({ params, body }) =>
				await runtimeOf(ctx).connect({
					tenantId: params.tenantId,
					channel: body.channel,
					token: body.token,
					name: body.name,
				}),
		}),
		defineRoute({
			method: 'get',
			path: base,
			summary: "The tenant's connections (credentials never leave the server)",
			tags: ['channels'],
			auth: 'apiKey',
			params: TenantParams,
			responses: {
				200: { description: 'connections', schema: z.object({ items: z.array(ConnectionSchema) }) },
			},
			handler: async ({ params }) => ({ items: await listConnections(ctx.db, params.tenantId) }),
		}),
		defineRoute({
			method: 'delete',
			path: `${base}/:connectionId`,
			summary: 'Disconnects a channel: removes its webhook and stops polling',
			tags: ['channels'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams.extend({ connectionId: IdSchema }),
			responses: {
				200: { description: 'the disconnected connection', schema: ConnectionSchema },
				404: { description: 'no such connection' },
				409: { description: 'already disconnected' },
			},
			handler: async ({ params }) => await runtimeOf(ctx).disconnect(params.tenantId, params.connectionId),
		}),
	];
}
