import {
	CustomerSchema,
	IdentifierTypeSchema,
	IdSchema,
	MergeRecordSchema,
	NoteDataSchema,
	TimelineEventSchema,
	TimelinePageSchema,
	TimelineQuerySchema,
} from '@nitka/shared';
import { z } from 'zod';
import { newId } from '../../core/clock.ts';
import { getCustomerView, searchCustomers } from '../../core/customers/customer-view.ts';
import { listMergesOf } from '../../core/customers/merge-service.ts';
import { ValidationError } from '../../core/errors.ts';
import { appendEvent, readTimeline, toTimelineEvent } from '../../core/events/event-store.ts';
import { rootOf } from '../../core/identity/identity-graph.ts';
import { unlinkIdentity } from '../../core/identity/unlink-identity.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TenantParams = z.object({ tenantId: IdSchema });
const CustomerParams = TenantParams.extend({ customerId: IdSchema });
const IdentityParams = CustomerParams.extend({ identityId: IdSchema });
const UnlinkAnswer = z.object({ identityId: IdSchema, previousCustomerId: IdSchema, customerId: IdSchema });

const SearchQuery = z
	.object({
		phone: z.string().min(3).max(64).optional(),
		email: z.string().min(3).max(254).optional(),
		identifierType: IdentifierTypeSchema.optional(),
		identifier: z.string().min(1).max(256).optional(),
	})
	.refine((q) => q.phone || q.email || (q.identifierType && q.identifier), {
		message: 'give phone, email, or identifierType with identifier',
	});

export function customerRoutes(ctx: AppContext) {
	const base = '/api/v1/tenants/:tenantId';
	return [
		defineRoute({
			method: 'get',
			path: `${base}/customers`,
			summary: 'Find a customer by phone, email or a platform id',
			tags: ['customers'],
			auth: 'apiKey',
			params: TenantParams,
			query: SearchQuery,
			responses: {
				200: {
					description: 'matching customers (zero or one)',
					schema: z.object({ items: z.array(CustomerSchema) }),
				},
			},
			handler: async ({ params, query }) => {
				const lookup = query.phone
					? { type: 'phone' as const, value: query.phone }
					: query.email
						? { type: 'email' as const, value: query.email }
						: { type: query.identifierType!, value: query.identifier! };
				return { items: await searchCustomers(ctx.db, params.tenantId, lookup) };
			},
		}),
		defineRoute({
			method: 'get',
			path: `${base}/customers/:customerId`,
			summary: 'A customer with identities and consents (a merged id answers with its survivor)',
			tags: ['customers'],
			auth: 'apiKey',
			params: CustomerParams,
			responses: { 200: { description: 'the customer', schema: CustomerSchema } },
			handler: async ({ params }) => await getCustomerView(ctx.db, params.tenantId, params.customerId),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/customers/:customerId/timeline`,
			summary: "The customer's unified timeline, newest first, with keyset paging and filters",
			tags: ['customers'],
			auth: 'apiKey',
			params: CustomerParams,
			query: TimelineQuerySchema,
			responses: { 200: { description: 'one page', schema: TimelinePageSchema } },
			handler: async ({ params, query }) => {
				if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
					throw new ValidationError('invalid time range', [
						{ path: 'query.from', message: 'from must be before to' },
					]);
				}
				const rootId = await rootOf(ctx.db, params.tenantId, params.customerId);
				return await readTimeline(ctx.db, params.tenantId, rootId, query);
			},
		}),
		defineRoute({
			method: 'get',
			path: `${base}/customers/:customerId/merges`,
			summary: 'Merges that formed this customer, undone ones included',
			tags: ['identity'],
			auth: 'apiKey',
			params: CustomerParams,
			responses: {
				200: { description: 'merge records', schema: z.object({ items: z.array(MergeRecordSchema) }) },
			},
			handler: async ({ params }) => ({
				items: await listMergesOf(ctx.db, params.tenantId, params.customerId),
			}),
		}),
		defineRoute({
			method: 'delete',
			path: `${base}/customers/:customerId/identities/:identityId`,
			summary: 'Detaches one identifier: it moves to a new customer of its own (never deleted)',
			tags: ['identity'],
			auth: 'apiKey',
			params: IdentityParams,
			responses: {
				200: { description: 'where the identifier went', schema: UnlinkAnswer },
				404: { description: 'no such identity on this customer' },
				409: { description: "the customer's last identifier" },
			},
			handler: async ({ params }) =>
				await unlinkIdentity(ctx.db, {
					tenantId: params.tenantId,
					customerId: params.customerId,
					identityId: params.identityId,
					at: ctx.clock.now(),
				}),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/customers/:customerId/notes`,
			summary: "Adds a staff note to the customer's timeline",
			tags: ['customers'],
			auth: 'apiKey',
			params: CustomerParams,
			body: NoteDataSchema,
			responses: { 201: { description: 'the stored note', schema: TimelineEventSchema } },
			handler: async ({ params, body }) => {
				const at = ctx.clock.now();
				const rootId = await rootOf(ctx.db, params.tenantId, params.customerId);
				const id = await appendEvent(ctx.db, {
					tenantId: params.tenantId,
					customerId: rootId,
					type: 'note',
					channel: 'nitka',
					occurredAt: at,
					recordedAt: at,
					sourceKey: `nitka:note:${newId(at)}`,
					data: body,
				});
				const row = await ctx.db
					.selectFrom('events')
					.selectAll()
					.where('tenant_id', '=', params.tenantId)
					.where('id', '=', id!)
					.executeTakeFirstOrThrow();
				return toTimelineEvent(row);
			},
		}),
	];
}
