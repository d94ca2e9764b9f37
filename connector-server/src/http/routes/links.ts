import { IdSchema, LinkTokenRequestSchema, LinkTokenResultSchema } from '@nitka/shared';
import { z } from 'zod';
import { toIso } from '../../core/clock.ts';
import { deepLinksFor } from '../../core/links/deep-links.ts';
import { issueLinkToken } from '../../core/links/link-tokens.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { runtimeOf } from './channel-runtime.ts';

/** Issuing deep-link tokens that tie a messenger account to a known customer. */
export function linkRoutes(ctx: AppContext) {
	return [
		defineRoute({
			method: 'post',
			path: '/api/v1/tenants/:tenantId/links',
			summary: 'Issues a single-use, expiring deep-link token for a customer or an order',
			tags: ['identity'],
			auth: 'apiKey',
			params: z.object({ tenantId: IdSchema }),
			body: LinkTokenRequestSchema,
			responses: {
				201: { description: 'the token and ready-made links', schema: LinkTokenResultSchema },
				404: { description: 'no such customer or order' },
			},
			handler: async ({ params, body }) => {
				const runtime = runtimeOf(ctx);
				const issued = await issueLinkToken(
					ctx.db,
					{
						tenantId: params.tenantId,
						customerId: body.customerId,
						orderId: body.orderId,
						ttlSeconds: body.ttlSeconds,
					},
					ctx.clock.now(),
				);
				const links = await deepLinksFor(ctx.db, runtime.clients, params.tenantId, issued.token);
				return {
					token: issued.token,
					customerId: issued.customerId,
					expiresAt: toIso(issued.expiresAt),
					links,
				};
			},
		}),
	];
}
