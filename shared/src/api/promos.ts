import { z } from 'zod';
import { MessagingChannelSchema } from '../channels.ts';
import { IdSchema, TimestampSchema } from '../common.ts';

/**
 * Promo campaigns (journey 2, docs/counter.md): personal codes for customers with a messenger
 * identity and a current marketing consent, sent through the outbox, redeemed once at the counter.
 */

/** The letters and digits of a code: no 0/O, 1/I/L, so a code read aloud or typed at a till survives. */
export const PROMO_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const PromoCampaignStatusSchema = z.enum(['active', 'paused', 'ended']);
export type PromoCampaignStatus = z.infer<typeof PromoCampaignStatusSchema>;

/** The channels a campaign reaches; VK is the journey's, Telegram and MAX may join it. */
export const PromoChannelsSchema = z
	.array(MessagingChannelSchema)
	.min(1)
	.max(3)
	.refine((list) => new Set(list).size === list.length, 'each channel once');

export const PromoFollowUpSchema = z.object({
	/** Sent after a redemption with the personal thank-you ("Next time: 15% off tea"). */
	text: z.string().trim().min(1).max(1000).optional(),
	/** Whose personal code goes with the thank-you; else the newest other active campaign's. */
	nextCampaignId: IdSchema.optional(),
	/** How long after the redemption the thank-you goes out (0 = at once). */
	delayMinutes: z
		.number()
		.int()
		.min(0)
		.max(14 * 24 * 60)
		.default(60),
});
export type PromoFollowUp = z.infer<typeof PromoFollowUpSchema>;

const codePrefix = z
	.string()
	.trim()
	.toUpperCase()
	.regex(new RegExp(`^[${PROMO_CODE_ALPHABET}]{0,6}$`), 'up to 6 of A–Z and 2–9, without I, L, O')
	.describe('Letters the codes start with, e.g. "VK"');

export const CreatePromoCampaignRequestSchema = z.object({
	name: z.string().trim().min(1).max(200),
	/** What the customer is offered, in the message that carries the code. */
	offer: z.string().trim().min(1).max(2000),
	codePrefix: codePrefix.default(''),
	/** Random characters after the prefix (8 by default: 31^8 ≈ 8.5·10^11 codes). */
	codeLength: z.number().int().min(6).max(12).default(8),
	channels: PromoChannelsSchema.default(['vk']),
	startsAt: TimestampSchema.optional(),
	expiresAt: TimestampSchema.optional(),
	followUp: PromoFollowUpSchema.optional(),
});
export type CreatePromoCampaignRequest = z.infer<typeof CreatePromoCampaignRequestSchema>;

export const UpdatePromoCampaignRequestSchema = z
	.object({
		name: z.string().trim().min(1).max(200).optional(),
		offer: z.string().trim().min(1).max(2000).optional(),
		status: PromoCampaignStatusSchema.optional(),
		expiresAt: TimestampSchema.nullable().optional(),
		followUp: PromoFollowUpSchema.nullable().optional(),
	})
	.refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' });
export type UpdatePromoCampaignRequest = z.infer<typeof UpdatePromoCampaignRequestSchema>;

export const PromoCampaignSchema = z.object({
	id: IdSchema,
	name: z.string(),
	offer: z.string().nullable(),
	status: PromoCampaignStatusSchema,
	codePrefix: z.string(),
	codeLength: z.number().int(),
	channels: z.array(MessagingChannelSchema),
	startsAt: TimestampSchema.nullable(),
	expiresAt: TimestampSchema.nullable(),
	followUp: PromoFollowUpSchema.nullable(),
	/** When codes were last issued to the segment. */
	issuedAt: TimestampSchema.nullable(),
	codes: z.object({ issued: z.number().int(), redeemed: z.number().int() }),
	createdAt: TimestampSchema,
	updatedAt: TimestampSchema,
});
export type PromoCampaign = z.infer<typeof PromoCampaignSchema>;

/** Who issuing would reach now. Only customers with a current marketing consent are counted in. */
export const PromoAudienceSchema = z.object({
	/** Customers with an identity on the campaign's channels and a current marketing consent. */
	audience: z.number().int(),
	/** Of those, the ones a chat is open with (they wrote or allowed messages): they get a message. */
	reachable: z.number().int(),
	/** Of those, the ones who already hold a code of this campaign. */
	alreadyIssued: z.number().int(),
	/** Customers on the channels without a current marketing consent: never issued, never messaged. */
	withoutConsent: z.number().int(),
});
export type PromoAudience = z.infer<typeof PromoAudienceSchema>;

export const PromoIssueResultSchema = z.object({
	/** New codes this call issued. */
	issued: z.number().int(),
	/** Customers of the segment who already held a code (a repeated call issues nothing twice). */
	alreadyIssued: z.number().int(),
	/** New codes sent in a chat through the outbox. */
	messaged: z.number().int(),
	/** New codes issued without a message: no open chat (VK allows only users who wrote or allowed it). */
	unreachable: z.number().int(),
});
export type PromoIssueResult = z.infer<typeof PromoIssueResultSchema>;
