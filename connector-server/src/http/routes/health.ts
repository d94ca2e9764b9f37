import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const StatusSchema = z.object({
	status: z.enum(['ok', 'unavailable']),
	checks: z.record(z.string(), z.boolean()).optional(),
});

export function healthRoutes(ctx: AppContext) {
	return [
		defineRoute({
			method: 'get',
			path: '/healthz',
			summary: 'Liveness: the process answers',
			tags: ['operations'],
			auth: 'none',
			responses: { 200: { description: 'alive', schema: StatusSchema } },
			handler: async () => ({ status: 'ok' as const }),
		}),
		defineRoute({
			method: 'get',
			path: '/readyz',
			summary: 'Readiness: the database answers and the workers are running',
			tags: ['operations'],
			auth: 'none',
			responses: {
				200: { description: 'ready', schema: StatusSchema },
				503: { description: 'not ready', schema: StatusSchema },
			},
			handler: async ({ res }) => {
				const database = await sql`select 1 as ok`
					.execute(ctx.db)
					.then(() => true)
					.catch(() => false);
				const workers = ctx.workersReady();
				const ready = database && workers;
				res
					.status(ready ? 200 : 503)
					.json({ status: ready ? 'ok' : 'unavailable', checks: { database, workers } });
			},
		}),
		defineRoute({
			method: 'get',
			path: '/metrics',
			summary: 'Prometheus metrics',
			tags: ['operations'],
			auth: 'none',
			responses: {
				200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' },
			},
			handler: async ({ res }) => {
				res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
			},
		}),
	];
}
