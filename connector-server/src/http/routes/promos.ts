import {
	CreatePromoCampaignRequestSchema,
	IdSchema,
	PromoAudienceSchema,
	PromoCampaignSchema,
	PromoIssueResultSchema,
	UpdatePromoCampaignRequestSchema,
} from '@nitka/shared';
import { z } from 'zod';
import { NitkaError } from '../../core/errors.ts';
import { campaignDto, createCampaign, listCampaigns, updateCampaign } from '../../core/promos/campaigns.ts';
import type { PromoRuntime } from '../../core/promos/runtime.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TAGS = ['promo campaigns'];
const TenantParams = z.object({ tenantId: IdSchema });
const CampaignParams = z.object({ tenantId: IdSchema, campaignId: IdSchema });
const base = '/api/v1/tenants/:tenantId/promo-campaigns';

function promosOf(ctx: AppContext): PromoRuntime {
	if (!ctx.promos) throw new NitkaError('promos_unavailable', 503, 'promo campaigns are not configured');
	return ctx.promos;
}

/** Journey 2's admin API: campaigns, their audience (consenting customers only), issuing codes. */
export function promoRoutes(ctx: AppContext) {
	return [
		defineRoute({
			method: 'get',
			path: base,
			summary: 'The shop’s promo campaigns, newest first, with issued and redeemed counts',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			responses: {
				200: { description: 'campaigns', schema: z.object({ items: z.array(PromoCampaignSchema) }) },
			},
			handler: async ({ params }) => ({ items: await listCampaigns(ctx.db, params.tenantId) }),
		}),
		defineRoute({
			method: 'post',
			path: base,
			summary: 'Creates a campaign: offer, code format, expiry, channels, thank-you follow-up',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: CreatePromoCampaignRequestSchema,
			responses: {
				201: { description: 'the campaign (active)', schema: PromoCampaignSchema },
				400: { description: 'invalid dates or follow-up campaign' },
			},
			handler: async ({ params, body }) =>
				await createCampaign(ctx.db, params.tenantId, body, ctx.clock.now()),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/:campaignId`,
			summary: 'One campaign',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: CampaignParams,
			responses: {
				200: { description: 'the campaign', schema: PromoCampaignSchema },
				404: { description: 'no such campaign' },
			},
			handler: async ({ params }) => await campaignDto(ctx.db, params.tenantId, params.campaignId),
		}),
		defineRoute({
			method: 'patch',
			path: `${base}/:campaignId`,
			summary: 'Renames, pauses, ends or extends a campaign; sets its follow-up',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: CampaignParams,
			body: UpdatePromoCampaignRequestSchema,
			responses: {
				200: { description: 'the campaign', schema: PromoCampaignSchema },
				404: { description: 'no such campaign' },
			},
			handler: async ({ params, body }) =>
				await updateCampaign(ctx.db, params.tenantId, params.campaignId, body, ctx.clock.now()),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/:campaignId/audience`,
			summary:
				'How many customers issuing would reach: an identity on the channels AND a current marketing consent',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: CampaignParams,
			responses: {
				200: { description: 'counts', schema: PromoAudienceSchema },
				404: { description: 'no such campaign' },
			},
			handler: async ({ params }) => await promosOf(ctx).audience(params.tenantId, params.campaignId),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/:campaignId/issue`,
			summary:
				'Issues one personal code per customer of the segment and sends it where a chat is open (idempotent)',
			tags: TAGS,
			auth: 'apiKey',
			role: 'admin',
			params: CampaignParams,
			responses: {
				200: { description: 'what this call did', schema: PromoIssueResultSchema },
				404: { description: 'no such campaign' },
				409: { description: 'the campaign is not active' },
			},
			handler: async ({ params }) => await promosOf(ctx).issue(params.tenantId, params.campaignId),
		}),
	];
}
