import {
	type EventData,
	type MessagingChannel,
	MessagingChannelSchema,
	messagingChannels,
} from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { hasMarketingConsent } from '../customers/consents.ts';
import { rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import type { OutboxHandler, OutboxJobInput } from '../ports/outbound.ts';
import { ensureCode, findCampaign, heldLiveCode, isLive, liveCampaignFor, promoChatOf } from './campaigns.ts';
import { appendAndReact, codeMessage, issuedEvent, type PromoDeps } from './issue.ts';
import {
	ASK_CONSENT_TEXT,
	CONSENT_BUTTON,
	CONSENT_TEXT,
	NO_CAMPAIGN_TEXT,
	promoIntent,
	STOP_BUTTON,
	STOPPED_TEXT,
	thankYouText,
} from './texts.ts';

export const FOLLOW_UP_JOB_KIND = 'promo.follow-up';

/** Minutes between a redemption and the thank-you when the campaign sets none. */
export const DEFAULT_FOLLOW_UP_DELAY_MINUTES = 60;

type Stored = Parameters<EventReactor>[0][number];

/**
 * The promo journey's reactions, in the ingest transaction of the events that cause them:
 *
 * - a customer asks in a chat ("промокод", the "promo" word, a promo button): with a current
 *   marketing consent they get their personal code of the newest live campaign on that channel
 *   (issued on demand, once per customer per campaign); without one they are asked for it, and
 *   nothing else is sent. The consent button records `consent.given`; "отписаться" withdraws it.
 * - a code is redeemed at the counter (`promo.redeemed`): one delayed `promo.follow-up` job per
 *   redemption, which later sends the personal thank-you and the next offer (see below).
 */
export function createPromoReactor(deps: PromoDeps): EventReactor {
	const reactor: EventReactor = async (stored, tx) => {
		const jobs: OutboxJobInput[] = [];
		for (const s of stored) {
			if (s.event.type === 'message.in') jobs.push(...(await onMessage(tx, s)));
			else if (s.event.type === 'promo.redeemed') jobs.push(...(await onRedeemed(tx, s)));
		}
		return jobs;
	};

	async function onMessage(tx: Db, { tenantId, customerId, event }: Stored): Promise<OutboxJobInput[]> {
		const channel = MessagingChannelSchema.safeParse(event.channel);
		const data = event.data as EventData<'message.in'>;
		if (!channel.success || !data.connectionId || !data.chatId) return [];
		const intent = promoIntent(data);
		if (!intent) return [];
		// A personal code is never posted in a group chat, nor asked for there.
		if (deps.privateChat && !deps.privateChat(channel.data, data.chatId)) return [];
		const at = deps.clock.now();
		const rootId = await rootOf(tx, tenantId, customerId);
		const reply = { tenantId, customerId: rootId, channel: channel.data, connectionId: data.connectionId };
		const say = (text: string, key: string, buttons = [STOP_BUTTON]) =>
			botMessage(tx, { ...reply, chatId: data.chatId, text, buttons, key, at });
		const jobs: OutboxJobInput[] = [];
		const consenting = await hasMarketingConsent(tx, tenantId, rootId);

		if (intent === 'stop') {
			if (consenting) {
				jobs.push(
					...(await appendAndReact(
						tx,
						deps,
						tenantId,
						rootId,
						[consentEvent('consent.withdrawn', channel.data, event.sourceKey, at)],
						at,
						reactor,
					)),
				);
			}
			jobs.push(...(await say(STOPPED_TEXT, `promo:stop:${event.sourceKey}`, [])));
			return jobs;
		}
		if (intent === 'consent' && !consenting) {
			jobs.push(
				...(await appendAndReact(
					tx,
					deps,
					tenantId,
					rootId,
					[consentEvent('consent.given', channel.data, event.sourceKey, at)],
					at,
					reactor,
				)),
			);
		} else if (!consenting) {
			// No consent, no code: only the question, with the button that gives it.
			jobs.push(...(await say(ASK_CONSENT_TEXT, `promo:ask:${event.sourceKey}`, [CONSENT_BUTTON])));
			return jobs;
		}
		// A code the customer holds already comes back; else the newest live campaign issues one.
		const held = await heldLiveCode(tx, tenantId, rootId, channel.data, at);
		const campaign = held?.campaign ?? (await liveCampaignFor(tx, tenantId, channel.data, at));
		if (!campaign) {
			jobs.push(...(await say(NO_CAMPAIGN_TEXT, `promo:none:${event.sourceKey}`)));
			return jobs;
		}
		const { code, created } = held
			? { code: held.code, created: false }
			: await ensureCode(tx, tenantId, campaign, rootId, 'request', at);
		if (created) {
			jobs.push(
				...(await appendAndReact(tx, deps, tenantId, rootId, [issuedEvent(campaign, code, at)], at, reactor)),
			);
		}
		if (code.redeemedAt !== null) {
			jobs.push(
				...(await say(
					`Ваш промокод ${code.code} по акции «${campaign.name}» уже использован. Следующее предложение пришлём сюда.`,
					`promo:used:${event.sourceKey}`,
				)),
			);
			return jobs;
		}
		jobs.push(
			...(await codeMessage(tx, {
				tenantId,
				rootId,
				campaign,
				code,
				chat: { channel: channel.data, connectionId: data.connectionId, chatId: data.chatId },
				key: `promo:request:${event.sourceKey}`,
				at,
			})),
		);
		return jobs;
	}

	async function onRedeemed(tx: Db, { tenantId, event }: Stored): Promise<OutboxJobInput[]> {
		const data = event.data as EventData<'promo.redeemed'>;
		const row = await tx
			.selectFrom('promo_codes')
			.select(['id', 'campaign_id'])
			.where('tenant_id', '=', tenantId)
			.where('code', '=', data.code)
			.executeTakeFirst();
		if (!row) return [];
		const campaign = row.campaign_id ? await findCampaign(tx, tenantId, row.campaign_id) : null;
		const delayMs = (campaign?.followUp?.delayMinutes ?? DEFAULT_FOLLOW_UP_DELAY_MINUTES) * 60_000;
		if (delayMs === 0) return [followUpJob(row.id)];
		// Later: the due time waits on the code, and the sweeper enqueues the job when it comes (a
		// job parked in the outbox for an hour would sit in its per-tenant window meanwhile).
		await tx
			.updateTable('promo_codes')
			.set({ thank_you_at: deps.clock.now() + delayMs })
			.where('tenant_id', '=', tenantId)
			.where('id', '=', row.id)
			.execute();
		return [];
	}

	return reactor;
}

function consentEvent(
	type: 'consent.given' | 'consent.withdrawn',
	channel: MessagingChannel,
	cause: string,
	at: number,
): InboundEvent<'consent.given' | 'consent.withdrawn'> {
	return {
		type,
		channel,
		occurredAt: at,
		sourceKey: `promo:${type}:${cause}`,
		data: {
			purpose: 'marketing',
			source: `${channel}:promo-bot`,
			...(type === 'consent.given' ? { text: CONSENT_TEXT } : {}),
		},
	};
}

const FollowUpPayloadSchema = z.object({ codeId: z.string().min(1).max(100) });
type FollowUpPayload = z.infer<typeof FollowUpPayloadSchema>;

/** The job that sends a redeemed code's thank-you; once per code (its dedupe key). */
export function followUpJob(codeId: string): OutboxJobInput {
	return {
		kind: FOLLOW_UP_JOB_KIND,
		target: `promo:follow-up:${codeId}`,
		dedupeKey: `promo:follow-up:${codeId}`,
		payload: { codeId } satisfies FollowUpPayload,
	};
}

/**
 * Enqueues the thank-yous that came due (at most 100 a round). Each code's due time is cleared in
 * the transaction that enqueues its job, so two processes sweeping at once enqueue it once.
 * Returns how many it enqueued and when the next one is due.
 */
export async function enqueueDueThankYous(
	db: Db,
	now: number,
): Promise<{ enqueued: number; nextDueAt: number | null }> {
	const due = await db
		.selectFrom('promo_codes')
		.select(['id', 'tenant_id', 'thank_you_at'])
		.where('thank_you_at', '<=', now)
		.orderBy('thank_you_at')
		.limit(100)
		.execute();
	let enqueued = 0;
	for (const row of due) {
		await db.transaction().execute(async (tx) => {
			const claimed = await tx
				.updateTable('promo_codes')
				.set({ thank_you_at: null })
				.where('tenant_id', '=', row.tenant_id)
				.where('id', '=', row.id)
				.where('thank_you_at', '=', row.thank_you_at)
				.executeTakeFirst();
			if (Number(claimed.numUpdatedRows) === 0) return;
			await enqueueJobs(tx, row.tenant_id, [followUpJob(row.id)], now);
			enqueued += 1;
		});
	}
	const next = await db
		.selectFrom('promo_codes')
		.select((eb) => eb.fn.min('thank_you_at').as('at'))
		.where('thank_you_at', 'is not', null)
		.executeTakeFirst();
	return { enqueued, nextDueAt: next?.at === null || next?.at === undefined ? null : Number(next.at) };
}

/** "Анна Петрова" → "Анна": a message never says more of a person than their first name. */
function firstName(name: string | null | undefined): string | null {
	const first = name?.trim().split(/\s+/)[0];
	return first ? first.slice(0, 40) : null;
}

/**
 * The thank-you after a redemption, decided when it is due (so a consent withdrawn meanwhile
 * stops it): to the chat the customer used last (VK, Telegram or MAX), the campaign's follow-up
 * text and the personal code of the next campaign (the one named, else the newest other live
 * campaign on that channel). Once per redemption: the message's key is the code's. Returns
 * whether a message was enqueued.
 */
export async function sendThankYou(
	tx: Db,
	deps: Pick<PromoDeps, 'clock' | 'reactors' | 'privateChat'>,
	tenantId: string,
	codeId: string,
	skip?: EventReactor,
): Promise<boolean> {
	const row = await tx
		.selectFrom('promo_codes')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', codeId)
		.executeTakeFirst();
	if (!row?.customer_id || row.redeemed_at === null) return false;
	const rootId = await rootOf(tx, tenantId, row.customer_id);
	if (!(await hasMarketingConsent(tx, tenantId, rootId))) return false;
	const chat = await promoChatOf(tx, tenantId, rootId, messagingChannels, deps.privateChat);
	if (!chat) return false;
	const now = deps.clock.now();
	const campaign = row.campaign_id ? await findCampaign(tx, tenantId, row.campaign_id) : null;
	const named = campaign?.followUp?.nextCampaignId;
	const nextCampaign = named
		? await findCampaign(tx, tenantId, named)
		: await liveCampaignFor(tx, tenantId, chat.channel, now, row.campaign_id ?? undefined);
	const jobs: OutboxJobInput[] = [];
	let next: { offer: string | null; code: string; expiresAt: number | null } | null = null;
	if (nextCampaign && nextCampaign.id !== row.campaign_id && isLive(nextCampaign, now)) {
		const { code, created } = await ensureCode(tx, tenantId, nextCampaign, rootId, 'follow-up', now);
		if (created) {
			jobs.push(
				...(await appendAndReact(
					tx,
					deps,
					tenantId,
					rootId,
					[issuedEvent(nextCampaign, code, now)],
					now,
					skip,
				)),
			);
		}
		if (code.redeemedAt === null)
			next = { offer: nextCampaign.offer, code: code.code, expiresAt: code.expiresAt };
	}
	const customer = await tx
		.selectFrom('customers')
		.select('name')
		.where('tenant_id', '=', tenantId)
		.where('id', '=', rootId)
		.executeTakeFirst();
	const location = row.redeemed_location_id
		? await tx
				.selectFrom('locations')
				.select('name')
				.where('tenant_id', '=', tenantId)
				.where('id', '=', row.redeemed_location_id)
				.executeTakeFirst()
		: undefined;
	jobs.push(
		...(await botMessage(tx, {
			tenantId,
			customerId: rootId,
			channel: chat.channel,
			connectionId: chat.connectionId,
			chatId: chat.chatId,
			text: thankYouText({
				firstName: firstName(customer?.name),
				locationName: location?.name ?? null,
				followUp: campaign?.followUp?.text ?? null,
				next,
			}),
			buttons: [STOP_BUTTON],
			key: `promo:thanks:${row.id}`,
			at: now,
		})),
	);
	await enqueueJobs(tx, tenantId, jobs, now);
	return true;
}

/** Runs the due `promo.follow-up` job: no platform call of its own, so no rate limit. */
export function createFollowUpHandler(deps: PromoDeps & { db: Db }): OutboxHandler<FollowUpPayload> {
	return {
		parse: (payload) => FollowUpPayloadSchema.parse(payload),
		limits: () => [],
		async deliver(payload, job) {
			const sent = await deps.db
				.transaction()
				.execute((tx) => sendThankYou(tx, deps, job.tenantId, payload.codeId));
			if (sent) deps.committed();
		},
	};
}
