import {
	ConnectionSchema,
	IdSchema,
	OutboxJobSchema,
	pageOf,
	QuarantineItemSchema,
	TenantSchema,
	TimestampSchema,
} from '@nitka/shared';
import { z } from 'zod';
import { toIso } from '../../core/clock.ts';
import { connectionFlows } from '../../core/inbox/inbox-health.ts';
import { countQuarantined, listQuarantine, requeueQuarantined } from '../../core/inbox/quarantine.ts';
import { oldestPendingAge } from '../../core/outbox/outbox-health.ts';
import { listDeadLetters, outboxCounts, retryDeadLetter } from '../../core/outbox/outbox-repository.ts';
import { listConnections } from '../../core/tenants/connections.ts';
import { listTenants } from '../../core/tenants/tenant-repository.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TenantParams = z.object({ tenantId: IdSchema });
const HealthSchema = z.object({
	connections: z.array(
		ConnectionSchema.extend({
			/** The newest inbox item received for the connection. */
			lastEventAt: TimestampSchema.nullable(),
			/** Age of its oldest unprocessed inbox item, seconds; 0 when none waits. */
			lagSeconds: z.number().int().nonnegative(),
		}),
	),
	outbox: z.object({
		pending: z.number(),
		done: z.number(),
		dead: z.number(),
		/** Age of the oldest pending delivery, seconds; 0 when none waits. */
		oldestPendingSeconds: z.number().int().nonnegative(),
	}),
	/** Items in quarantine, webhook and marketplace inboxes together (listed at /quarantine). */
	quarantined: z.number(),
});
const PageQuery = z.object({
	limit: z.coerce.number().int().min(1).max(200).default(50),
	before: IdSchema.optional(),
});

export function operationsRoutes(ctx: AppContext) {
	const base = '/api/v1/tenants/:tenantId';
	return [
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants',
			summary: 'Tenants this key may act on (one for a shop key, all of an agency for an agency key)',
			tags: ['tenants'],
			auth: 'apiKey',
			responses: { 200: { description: 'tenants', schema: z.object({ items: z.array(TenantSchema) }) } },
			handler: async ({ principal }) => ({
				items: await listTenants(
					ctx.db,
					principal?.kind === 'tenant'
						? { tenantId: principal.tenantId }
						: { agencyId: principal?.kind === 'agency' ? principal.agencyId : '' },
				),
			}),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/health`,
			summary: "The tenant's connections and delivery queue at a glance",
			tags: ['operations'],
			auth: 'apiKey',
			params: TenantParams,
			responses: {
				200: { description: 'health', schema: HealthSchema },
			},
			handler: async ({ params }) => {
				const now = ctx.clock.now();
				const flows = await connectionFlows(ctx.db, params.tenantId, now);
				const connections = (await listConnections(ctx.db, params.tenantId)).map((connection) => {
					const flow = flows.get(connection.id);
					return {
						...connection,
						lastEventAt: flow?.lastEventAt == null ? null : toIso(flow.lastEventAt),
						lagSeconds: flow?.lagSeconds ?? 0,
					};
				});
				return {
					connections,
					outbox: {
						...(await outboxCounts(ctx.db, params.tenantId)),
						oldestPendingSeconds: await oldestPendingAge(ctx.db, params.tenantId, now),
					},
					quarantined: await countQuarantined(ctx.db, params.tenantId),
				};
			},
		}),
		defineRoute({
			method: 'get',
			path: `${base}/quarantine`,
			summary:
				'Stored payloads that could not be understood — webhooks and marketplace pages or pushes — newest first, with their errors',
			tags: ['operations'],
			auth: 'apiKey',
			params: TenantParams,
			query: PageQuery.extend({
				/** telegram, ozon, yandex-market… */
				source: z.string().min(1).max(50).optional(),
				connectionId: IdSchema.optional(),
			}),
			responses: { 200: { description: 'quarantined payloads', schema: pageOf(QuarantineItemSchema) } },
			handler: async ({ params, query }) => await listQuarantine(ctx.db, params.tenantId, query),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/quarantine/:itemId/requeue`,
			summary: 'Processes a quarantined payload (webhook or marketplace page/push) again',
			tags: ['operations'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams.extend({ itemId: IdSchema }),
			responses: { 204: { description: 'requeued' } },
			handler: async ({ params }) => {
				await requeueQuarantined(ctx.db, params.tenantId, params.itemId);
			},
		}),
		defineRoute({
			method: 'get',
			path: `${base}/dead-letters`,
			summary: 'Outbox jobs that failed permanently or ran out of attempts',
			tags: ['operations'],
			auth: 'apiKey',
			params: TenantParams,
			query: PageQuery,
			responses: { 200: { description: 'dead letters', schema: pageOf(OutboxJobSchema) } },
			handler: async ({ params, query }) =>
				await listDeadLetters(ctx.db, params.tenantId, query.limit, query.before),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/dead-letters/:jobId/retry`,
			summary: 'Puts a dead letter back in the queue with a fresh attempt budget',
			tags: ['operations'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams.extend({ jobId: IdSchema }),
			responses: { 200: { description: 'requeued', schema: OutboxJobSchema } },
			handler: async ({ params }) =>
				await retryDeadLetter(ctx.db, params.tenantId, params.jobId, ctx.clock.now()),
		}),
	];
}
