import { IdSchema, MergeReviewSchema } from '@nitka/shared';
import { z } from 'zod';
import { decideReview, listReviews, manualMerge, unmerge } from '../../core/customers/merge-service.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TenantParams = z.object({ tenantId: IdSchema });

export function identityRoutes(ctx: AppContext) {
	const base = '/api/v1/tenants/:tenantId';
	return [
		defineRoute({
			method: 'post',
			path: `${base}/merges`,
			summary: 'Merges two customers by hand (the survivor keeps its id; the other id resolves to it)',
			tags: ['identity'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: z.object({ survivorId: IdSchema, mergedId: IdSchema }),
			responses: { 201: { description: 'merged', schema: z.object({ mergeId: IdSchema }) } },
			handler: async ({ params, body }) => ({
				mergeId: await manualMerge(ctx.db, params.tenantId, body.survivorId, body.mergedId, ctx.clock.now()),
			}),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/merges/:mergeId/undo`,
			summary: 'Undoes a merge: both customers get back exactly their own identities and events',
			tags: ['identity'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams.extend({ mergeId: IdSchema }),
			body: z.object({ reason: z.string().max(2000).optional() }).default({}),
			responses: {
				200: { description: 'undone', schema: z.object({ survivorId: IdSchema, mergedId: IdSchema }) },
			},
			handler: async ({ params, body }) =>
				await unmerge(ctx.db, params.tenantId, params.mergeId, ctx.clock.now(), body.reason),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/merge-reviews`,
			summary: 'Merges the rules would not make alone (different single-valued ids), for a person to decide',
			tags: ['identity'],
			auth: 'apiKey',
			params: TenantParams,
			query: z.object({ status: z.enum(['open', 'approved', 'rejected']).default('open') }),
			responses: { 200: { description: 'reviews', schema: z.object({ items: z.array(MergeReviewSchema) }) } },
			handler: async ({ params, query }) => ({
				items: await listReviews(ctx.db, params.tenantId, query.status),
			}),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/merge-reviews/:reviewId`,
			summary: 'Approves (merges) or rejects (keeps apart) a review',
			tags: ['identity'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams.extend({ reviewId: IdSchema }),
			body: z.object({ decision: z.enum(['approve', 'reject']) }),
			responses: {
				200: {
					description: 'decided',
					schema: z.object({ review: MergeReviewSchema, mergeId: IdSchema.nullable() }),
				},
			},
			handler: async ({ params, body }) =>
				await decideReview(ctx.db, params.tenantId, params.reviewId, body.decision, ctx.clock.now()),
		}),
	];
}
