import {
	ConversationListQuerySchema,
	ConversationSchema,
	ConversationUpdateSchema,
	IdSchema,
	pageOf,
	ReplyRequestSchema,
	ReplyResultSchema,
} from '@nitka/shared';
import { z } from 'zod';
import {
	conversationOfCustomer,
	getConversation,
	listConversations,
	updateConversation,
} from '../../core/conversations/conversation-repository.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { runtimeOf } from './channel-runtime.ts';

const TenantParams = z.object({ tenantId: IdSchema });
const ConversationParams = TenantParams.extend({ conversationId: IdSchema });
const CustomerParams = TenantParams.extend({ customerId: IdSchema });

/** Conversations (one per customer across channels) and operator replies. */
export function conversationRoutes(ctx: AppContext) {
	const base = '/api/v1/tenants/:tenantId';
	return [
		defineRoute({
			method: 'get',
			path: `${base}/conversations`,
			summary: 'Conversations, newest first, filtered by status or assignee',
			tags: ['conversations'],
			auth: 'apiKey',
			params: TenantParams,
			query: ConversationListQuerySchema,
			responses: { 200: { description: 'one page', schema: pageOf(ConversationSchema) } },
			handler: async ({ params, query }) => await listConversations(ctx.db, params.tenantId, query),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/conversations/:conversationId`,
			summary: 'One conversation with its chats, status, assignee and response times',
			tags: ['conversations'],
			auth: 'apiKey',
			params: ConversationParams,
			responses: { 200: { description: 'the conversation', schema: ConversationSchema } },
			handler: async ({ params }) => await getConversation(ctx.db, params.tenantId, params.conversationId),
		}),
		defineRoute({
			method: 'patch',
			path: `${base}/conversations/:conversationId`,
			summary: 'Changes status (open, pending, resolved) or assignee',
			tags: ['conversations'],
			auth: 'apiKey',
			params: ConversationParams,
			body: ConversationUpdateSchema,
			responses: { 200: { description: 'the updated conversation', schema: ConversationSchema } },
			handler: async ({ params, body }) =>
				await updateConversation(ctx.db, params.tenantId, params.conversationId, body, ctx.clock.now()),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/customers/:customerId/conversation`,
			summary: "The customer's conversation",
			tags: ['conversations'],
			auth: 'apiKey',
			params: CustomerParams,
			responses: { 200: { description: 'the conversation', schema: ConversationSchema } },
			handler: async ({ params }) => await conversationOfCustomer(ctx.db, params.tenantId, params.customerId),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/customers/:customerId/replies`,
			summary: 'Replies to the customer where they last wrote from (or in the chosen channel)',
			tags: ['conversations'],
			auth: 'apiKey',
			params: CustomerParams,
			body: ReplyRequestSchema,
			responses: {
				202: { description: 'stored on the timeline and queued for delivery', schema: ReplyResultSchema },
				409: { description: 'no reachable chat, or the loop guard refused the channel' },
			},
			handler: async ({ params, body }) =>
				await runtimeOf(ctx).reply(params.tenantId, params.customerId, body),
		}),
	];
}
