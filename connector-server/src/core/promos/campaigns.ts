import {
	type CreatePromoCampaignRequest,
	type MessagingChannel,
	MessagingChannelSchema,
	type PromoAudience,
	type PromoCampaign,
	type PromoCampaignStatus,
	PromoCampaignStatusSchema,
	PromoFollowUpSchema,
	type UpdatePromoCampaignRequest,
} from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { fromIso, newId, toIso } from '../clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { memberIds } from '../identity/identity-graph.ts';
import { newPromoCode } from './codes.ts';

/**
 * Promo campaigns and their personal codes (journey 2, docs/counter.md). A campaign's own
 * settings (prefix, length, channels, follow-up) live in `promo_campaigns.settings` as JSON,
 * parsed by zod on the way out; rows written before 0009 read with the defaults.
 */

const SettingsSchema = z.object({
	codePrefix: z.string().default(''),
	codeLength: z.number().int().min(6).max(12).default(8),
	channels: z.array(MessagingChannelSchema).min(1).default(['vk']),
	followUp: PromoFollowUpSchema.nullable().default(null),
});
type Settings = z.infer<typeof SettingsSchema>;

/** A campaign as the core uses it. */
export interface Campaign extends Settings {
	id: string;
	tenantId: string;
	name: string;
	offer: string | null;
	status: PromoCampaignStatus;
	startsAt: number | null;
	expiresAt: number | null;
	issuedAt: number | null;
	createdAt: number;
	updatedAt: number;
}

type CampaignRow = {
	id: string;
	tenant_id: string;
	name: string;
	offer: string | null;
	status: string;
	settings: string;
	starts_at: number | null;
	expires_at: number | null;
	issued_at: number | null;
	created_at: number;
	updated_at: number;
};

function parseSettings(raw: string): Settings {
	let json: unknown = {};
	try {
		json = JSON.parse(raw);
	} catch {
		json = {};
	}
	const parsed = SettingsSchema.safeParse(json);
	return parsed.success ? parsed.data : SettingsSchema.parse({});
}

const num = (value: number | null) => (value === null ? null : Number(value));

function toCampaign(row: CampaignRow): Campaign {
	const status = PromoCampaignStatusSchema.safeParse(row.status);
	return {
		id: row.id,
		tenantId: row.tenant_id,
		name: row.name,
		offer: row.offer,
		status: status.success ? status.data : 'paused',
		startsAt: num(row.starts_at),
		expiresAt: num(row.expires_at),
		issuedAt: num(row.issued_at),
		createdAt: Number(row.created_at),
		updatedAt: Number(row.updated_at),
		...parseSettings(row.settings),
	};
}

/** Active, started, not expired: codes may be issued and redeemed. */
export function isLive(campaign: Campaign, now: number): boolean {
	return (
		campaign.status === 'active' &&
		(campaign.startsAt === null || campaign.startsAt <= now) &&
		(campaign.expiresAt === null || campaign.expiresAt > now)
	);
}

export async function findCampaign(db: Db, tenantId: string, campaignId: string): Promise<Campaign | null> {
	const row = await db
		.selectFrom('promo_campaigns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', campaignId)
		.executeTakeFirst();
	return row ? toCampaign(row) : null;
}

export async function loadCampaign(db: Db, tenantId: string, campaignId: string): Promise<Campaign> {
	const campaign = await findCampaign(db, tenantId, campaignId);
	if (!campaign) throw new NotFoundError(`promo campaign ${campaignId}`);
	return campaign;
}

/** The newest live campaign that reaches `channel` (other than `except`), for requests and thank-yous. */
export async function liveCampaignFor(
	db: Db,
	tenantId: string,
	channel: MessagingChannel,
	now: number,
	except?: string,
): Promise<Campaign | null> {
	const rows = await db
		.selectFrom('promo_campaigns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'active')
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(50)
		.execute();
	return (
		rows.map(toCampaign).find((c) => c.id !== except && isLive(c, now) && c.channels.includes(channel)) ??
		null
	);
}

async function codeCounts(db: Db, tenantId: string, campaignIds: string[]) {
	const counts = new Map<string, { issued: number; redeemed: number }>();
	if (campaignIds.length === 0) return counts;
	const rows = await db
		.selectFrom('promo_codes')
		.select((eb) => [
			'campaign_id',
			eb.fn.countAll<number>().as('issued'),
			eb.fn.count<number>('redeemed_at').as('redeemed'),
		])
		.where('tenant_id', '=', tenantId)
		.where('campaign_id', 'in', campaignIds)
		.groupBy('campaign_id')
		.execute();
	for (const row of rows) {
		if (row.campaign_id)
			counts.set(row.campaign_id, { issued: Number(row.issued), redeemed: Number(row.redeemed) });
	}
	return counts;
}

const iso = (ms: number | null) => (ms === null ? null : toIso(ms));

function toDto(campaign: Campaign, codes: { issued: number; redeemed: number } | undefined): PromoCampaign {
	return {
		id: campaign.id,
		name: campaign.name,
		offer: campaign.offer,
		status: campaign.status,
		codePrefix: campaign.codePrefix,
		codeLength: campaign.codeLength,
		channels: campaign.channels,
		startsAt: iso(campaign.startsAt),
		expiresAt: iso(campaign.expiresAt),
		followUp: campaign.followUp,
		issuedAt: iso(campaign.issuedAt),
		codes: codes ?? { issued: 0, redeemed: 0 },
		createdAt: toIso(campaign.createdAt),
		updatedAt: toIso(campaign.updatedAt),
	};
}

export async function campaignDto(db: Db, tenantId: string, campaignId: string): Promise<PromoCampaign> {
	const campaign = await loadCampaign(db, tenantId, campaignId);
	return toDto(campaign, (await codeCounts(db, tenantId, [campaign.id])).get(campaign.id));
}

export async function listCampaigns(db: Db, tenantId: string): Promise<PromoCampaign[]> {
	const rows = await db
		.selectFrom('promo_campaigns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(200)
		.execute();
	const campaigns = rows.map(toCampaign);
	const counts = await codeCounts(
		db,
		tenantId,
		campaigns.map((c) => c.id),
	);
	return campaigns.map((c) => toDto(c, counts.get(c.id)));
}

async function checkNextCampaign(db: Db, tenantId: string, nextId: string | undefined, selfId?: string) {
	if (!nextId) return;
	if (nextId === selfId || !(await findCampaign(db, tenantId, nextId))) {
		throw new ValidationError('invalid follow-up', [
			{ path: 'followUp.nextCampaignId', message: 'another campaign of this shop' },
		]);
	}
}

function checkDates(startsAt: number | null, expiresAt: number | null, now: number) {
	if (expiresAt !== null && expiresAt <= now) {
		throw new ValidationError('invalid dates', [{ path: 'expiresAt', message: 'must be in the future' }]);
	}
	if (startsAt !== null && expiresAt !== null && startsAt >= expiresAt) {
		throw new ValidationError('invalid dates', [{ path: 'startsAt', message: 'must be before expiresAt' }]);
	}
}

export async function createCampaign(
	db: Db,
	tenantId: string,
	input: CreatePromoCampaignRequest,
	now: number,
): Promise<PromoCampaign> {
	const startsAt = input.startsAt ? fromIso(input.startsAt) : null;
	const expiresAt = input.expiresAt ? fromIso(input.expiresAt) : null;
	checkDates(startsAt, expiresAt, now);
	await checkNextCampaign(db, tenantId, input.followUp?.nextCampaignId);
	const settings: Settings = {
		codePrefix: input.codePrefix,
		codeLength: input.codeLength,
		channels: input.channels,
		followUp: input.followUp ?? null,
	};
	const id = newId(now);
	await db
		.insertInto('promo_campaigns')
		.values({
			id,
			tenant_id: tenantId,
			name: input.name,
			offer: input.offer,
			status: 'active',
			settings: JSON.stringify(settings),
			starts_at: startsAt,
			expires_at: expiresAt,
			issued_at: null,
			created_at: now,
			updated_at: now,
		})
		.execute();
	return await campaignDto(db, tenantId, id);
}

export async function updateCampaign(
	db: Db,
	tenantId: string,
	campaignId: string,
	patch: UpdatePromoCampaignRequest,
	now: number,
): Promise<PromoCampaign> {
	const campaign = await loadCampaign(db, tenantId, campaignId);
	const expiresAt =
		patch.expiresAt === undefined
			? campaign.expiresAt
			: patch.expiresAt === null
				? null
				: fromIso(patch.expiresAt);
	if (patch.expiresAt !== undefined) checkDates(campaign.startsAt, expiresAt, now);
	if (patch.followUp) await checkNextCampaign(db, tenantId, patch.followUp.nextCampaignId, campaignId);
	const settings: Settings = {
		codePrefix: campaign.codePrefix,
		codeLength: campaign.codeLength,
		channels: campaign.channels,
		followUp: patch.followUp === undefined ? campaign.followUp : patch.followUp,
	};
	await db
		.updateTable('promo_campaigns')
		.set({
			...(patch.name === undefined ? {} : { name: patch.name }),
			...(patch.offer === undefined ? {} : { offer: patch.offer }),
			...(patch.status === undefined ? {} : { status: patch.status }),
			expires_at: expiresAt,
			settings: JSON.stringify(settings),
			updated_at: now,
		})
		.where('tenant_id', '=', tenantId)
		.where('id', '=', campaignId)
		.execute();
	// Codes follow the campaign's expiry, unless already redeemed.
	if (patch.expiresAt !== undefined) {
		await db
			.updateTable('promo_codes')
			.set({ expires_at: expiresAt })
			.where('tenant_id', '=', tenantId)
			.where('campaign_id', '=', campaignId)
			.where('redeemed_at', 'is', null)
			.execute();
	}
	return await campaignDto(db, tenantId, campaignId);
}

/** Identity types of the messaging channels (the same names). */
const identityTypesOf = (channels: readonly MessagingChannel[]) => [...channels];

/**
 * The roots whose newest marketing statement (across their merged members) is "given". A tie
 * between a withdrawal and a consent counts as withdrawn.
 */
async function consentingRoots(db: Db, tenantId: string): Promise<Set<string>> {
	const rows = await db
		.selectFrom('consents as k')
		.innerJoin('customers as c', (join) =>
			join.onRef('c.id', '=', 'k.customer_id').onRef('c.tenant_id', '=', 'k.tenant_id'),
		)
		.select(['c.root_id', 'k.status', 'k.recorded_at'])
		.where('k.tenant_id', '=', tenantId)
		.where('k.purpose', '=', 'marketing')
		.execute();
	const latest = new Map<string, { at: number; given: boolean }>();
	for (const row of rows) {
		const at = Number(row.recorded_at);
		const given = row.status === 'given';
		const seen = latest.get(row.root_id);
		if (!seen || at > seen.at || (at === seen.at && !given)) latest.set(row.root_id, { at, given });
	}
	return new Set([...latest].filter(([, v]) => v.given).map(([root]) => root));
}

/** Roots with an identity on one of the channels, oldest customers first. */
async function rootsOnChannels(db: Db, tenantId: string, channels: readonly MessagingChannel[]) {
	const rows = await db
		.selectFrom('identities as i')
		.innerJoin('customers as c', (join) =>
			join.onRef('c.id', '=', 'i.customer_id').onRef('c.tenant_id', '=', 'i.tenant_id'),
		)
		.select('c.root_id')
		.distinct()
		.where('i.tenant_id', '=', tenantId)
		.where('i.type', 'in', identityTypesOf(channels))
		.orderBy('c.root_id')
		.execute();
	return rows.map((row) => row.root_id);
}

/**
 * The campaign's segment: customers with an identity on its channels AND a current marketing
 * consent. Nobody without consent is ever in it.
 */
export async function segmentOf(
	db: Db,
	tenantId: string,
	campaign: Campaign,
): Promise<{ roots: string[]; withoutConsent: number }> {
	const onChannels = await rootsOnChannels(db, tenantId, campaign.channels);
	const consenting = await consentingRoots(db, tenantId);
	const roots = onChannels.filter((root) => consenting.has(root));
	return { roots, withoutConsent: onChannels.length - roots.length };
}

export interface PromoChat {
	channel: MessagingChannel;
	connectionId: string;
	chatId: string;
}

/** Whether a chat is one person's; a personal code never goes to a group. */
export type PrivateChat = (channel: MessagingChannel, chatId: string) => boolean;
const anyChat: PrivateChat = () => true;

/**
 * A chat Nitka may write to: one person's (never a group), open (the customer wrote or allowed
 * messages — VK lets a community message only those — and did not block or deny since) on an
 * active connection. Among the `channels`, the one the customer used last.
 */
export async function promoChatOf(
	db: Db,
	tenantId: string,
	rootId: string,
	channels: readonly MessagingChannel[],
	privateChat: PrivateChat = anyChat,
): Promise<PromoChat | null> {
	if (channels.length === 0) return null;
	const members = await memberIds(db, tenantId, rootId);
	const rows = await db
		.selectFrom('conversation_chats as ch')
		.innerJoin('connections as cn', (join) =>
			join.onRef('cn.id', '=', 'ch.connection_id').onRef('cn.tenant_id', '=', 'ch.tenant_id'),
		)
		.select(['ch.channel', 'ch.connection_id', 'ch.chat_id'])
		.where('ch.tenant_id', '=', tenantId)
		.where('ch.customer_id', 'in', members)
		.where('ch.channel', 'in', [...channels])
		.where('ch.reachable', '=', 1)
		.where('cn.status', '=', 'active')
		.orderBy('ch.last_inbound_at', 'desc')
		.limit(20)
		.execute();
	for (const row of rows) {
		const channel = MessagingChannelSchema.safeParse(row.channel);
		if (!channel.success || !privateChat(channel.data, row.chat_id)) continue;
		return { channel: channel.data, connectionId: row.connection_id, chatId: row.chat_id };
	}
	return null;
}

/** The roots among `roots` with an open private chat on the channels (one query per 500). */
async function reachableRoots(
	db: Db,
	tenantId: string,
	roots: string[],
	channels: readonly MessagingChannel[],
	privateChat: PrivateChat,
): Promise<Set<string>> {
	const found = new Set<string>();
	for (let i = 0; i < roots.length; i += 500) {
		const chunk = roots.slice(i, i + 500);
		const rows = await db
			.selectFrom('conversation_chats as ch')
			.innerJoin('customers as c', (join) =>
				join.onRef('c.id', '=', 'ch.customer_id').onRef('c.tenant_id', '=', 'ch.tenant_id'),
			)
			.innerJoin('connections as cn', (join) =>
				join.onRef('cn.id', '=', 'ch.connection_id').onRef('cn.tenant_id', '=', 'ch.tenant_id'),
			)
			.select(['c.root_id', 'ch.channel', 'ch.chat_id'])
			.where('ch.tenant_id', '=', tenantId)
			.where('c.root_id', 'in', chunk)
			.where('ch.channel', 'in', [...channels])
			.where('ch.reachable', '=', 1)
			.where('cn.status', '=', 'active')
			.execute();
		for (const row of rows) {
			const channel = MessagingChannelSchema.safeParse(row.channel);
			if (channel.success && privateChat(channel.data, row.chat_id)) found.add(row.root_id);
		}
	}
	return found;
}

/** Roots (among `roots`) holding a code of the campaign already, via any merged member. */
async function holders(db: Db, tenantId: string, campaignId: string, roots: string[]): Promise<Set<string>> {
	const found = new Set<string>();
	for (let i = 0; i < roots.length; i += 500) {
		const rows = await db
			.selectFrom('promo_codes as p')
			.innerJoin('customers as c', (join) =>
				join.onRef('c.id', '=', 'p.customer_id').onRef('c.tenant_id', '=', 'p.tenant_id'),
			)
			.select('c.root_id')
			.distinct()
			.where('p.tenant_id', '=', tenantId)
			.where('p.campaign_id', '=', campaignId)
			.where('c.root_id', 'in', roots.slice(i, i + 500))
			.execute();
		for (const row of rows) found.add(row.root_id);
	}
	return found;
}

/** What issuing would do now: counts only, nobody's data. */
export async function previewAudience(
	db: Db,
	tenantId: string,
	campaignId: string,
	privateChat: PrivateChat = anyChat,
): Promise<PromoAudience> {
	const campaign = await loadCampaign(db, tenantId, campaignId);
	const { roots, withoutConsent } = await segmentOf(db, tenantId, campaign);
	const reachable = await reachableRoots(db, tenantId, roots, campaign.channels, privateChat);
	const issued = await holders(db, tenantId, campaign.id, roots);
	return { audience: roots.length, reachable: reachable.size, alreadyIssued: issued.size, withoutConsent };
}

export interface PromoCodeRow {
	id: string;
	code: string;
	customerId: string;
	expiresAt: number | null;
	redeemedAt: number | null;
}

/**
 * The customer's code of the campaign, issuing it on first call (`created`). One per customer
 * per campaign (a unique index, so a race leaves one); a code collision (1 in ~10^11) draws again.
 */
export async function ensureCode(
	tx: Db,
	tenantId: string,
	campaign: Campaign,
	rootId: string,
	source: 'segment' | 'request' | 'follow-up',
	now: number,
): Promise<{ code: PromoCodeRow; created: boolean }> {
	const members = await memberIds(tx, tenantId, rootId);
	const existing = async () => {
		const row = await tx
			.selectFrom('promo_codes')
			.select(['id', 'code', 'customer_id', 'expires_at', 'redeemed_at'])
			.where('tenant_id', '=', tenantId)
			.where('campaign_id', '=', campaign.id)
			.where('customer_id', 'in', members)
			.orderBy('issued_at')
			.executeTakeFirst();
		return row
			? {
					id: row.id,
					code: row.code,
					customerId: row.customer_id ?? rootId,
					expiresAt: num(row.expires_at),
					redeemedAt: num(row.redeemed_at),
				}
			: null;
	};
	const found = await existing();
	if (found) return { code: found, created: false };
	for (let attempt = 0; attempt < 5; attempt += 1) {
		const id = newId(now);
		const inserted = await tx
			.insertInto('promo_codes')
			.values({
				id,
				tenant_id: tenantId,
				campaign_id: campaign.id,
				customer_id: rootId,
				code: newPromoCode(campaign.codePrefix, campaign.codeLength),
				issued_at: now,
				expires_at: campaign.expiresAt,
				redeemed_at: null,
				redeemed_location_id: null,
				redeemed_device_id: null,
				source,
			})
			.onConflict((oc) => oc.doNothing())
			.executeTakeFirst();
		const again = await existing();
		if (again) return { code: again, created: Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 };
	}
	throw new ConflictError('could not draw a free promo code; try again');
}

export async function markIssued(db: Db, tenantId: string, campaignId: string, now: number): Promise<void> {
	await db
		.updateTable('promo_campaigns')
		.set({ issued_at: now, updated_at: now })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', campaignId)
		.execute();
}

/**
 * The customer's newest unredeemed code of a live campaign on `channel`: what a customer who asks
 * again gets back, rather than a code of some newer campaign.
 */
export async function heldLiveCode(
	db: Db,
	tenantId: string,
	rootId: string,
	channel: MessagingChannel,
	now: number,
): Promise<{ campaign: Campaign; code: PromoCodeRow } | null> {
	const members = await memberIds(db, tenantId, rootId);
	const rows = await db
		.selectFrom('promo_codes as p')
		.innerJoin('promo_campaigns as c', (join) =>
			join.onRef('c.id', '=', 'p.campaign_id').onRef('c.tenant_id', '=', 'p.tenant_id'),
		)
		.selectAll('c')
		.select(['p.id as code_id', 'p.code', 'p.customer_id', 'p.expires_at as code_expires_at'])
		.where('p.tenant_id', '=', tenantId)
		.where('p.customer_id', 'in', members)
		.where('p.redeemed_at', 'is', null)
		.where('c.status', '=', 'active')
		.orderBy('p.issued_at', 'desc')
		.limit(20)
		.execute();
	for (const row of rows) {
		const campaign = toCampaign(row);
		const expiresAt = num(row.code_expires_at);
		if (!isLive(campaign, now) || !campaign.channels.includes(channel)) continue;
		if (expiresAt !== null && expiresAt <= now) continue;
		return {
			campaign,
			code: {
				id: row.code_id,
				code: row.code,
				customerId: row.customer_id ?? rootId,
				expiresAt,
				redeemedAt: null,
			},
		};
	}
	return null;
}
