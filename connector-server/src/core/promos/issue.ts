import type { PromoIssueResult } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../clock.ts';
import { toIso } from '../clock.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { hasMarketingConsent, recordConsent } from '../customers/consents.ts';
import { ConflictError } from '../errors.ts';
import { appendEvent } from '../events/event-store.ts';
import { rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import {
	type Campaign,
	ensureCode,
	isLive,
	loadCampaign,
	markIssued,
	type PrivateChat,
	type PromoChat,
	type PromoCodeRow,
	promoChatOf,
	segmentOf,
} from './campaigns.ts';
import { codeText, STOP_BUTTON } from './texts.ts';

export interface PromoDeps {
	clock: Clock;
	/** The server's reactors (this journey's among them), read when needed: they are composed after it. */
	reactors: () => readonly EventReactor[];
	/** Resolves once what was committed would survive a power cut. */
	durable: () => Promise<void>;
	/** Something was enqueued: wake the outbox. */
	committed: () => void;
	/** Whether a chat is one person's (the channel's ids tell); absent: every chat is. */
	privateChat?: PrivateChat;
}

type Stored = Parameters<EventReactor>[0];

/**
 * Appends events to a customer's (root's) timeline as ingest would: consents recorded, and the
 * server's reactors run on the new events (`skip`: the reactor calling this, never re-entered).
 * Returns the jobs the reactors asked for; the caller enqueues them in the same transaction.
 */
export async function appendAndReact(
	tx: Db,
	deps: Pick<PromoDeps, 'reactors'>,
	tenantId: string,
	rootId: string,
	events: InboundEvent[],
	at: number,
	skip?: EventReactor,
): Promise<OutboxJobInput[]> {
	const stored: Stored = [];
	for (const event of events) {
		const eventId = await appendEvent(tx, { ...event, tenantId, customerId: rootId, recordedAt: at });
		if (!eventId) continue;
		stored.push({ tenantId, customerId: rootId, eventId, event });
		if (event.type === 'consent.given' || event.type === 'consent.withdrawn') {
			await recordConsent(tx, tenantId, rootId, event.type, event.data, at);
		}
	}
	if (stored.length === 0) return [];
	const jobs: OutboxJobInput[] = [];
	for (const reactor of deps.reactors()) if (reactor !== skip) jobs.push(...(await reactor(stored, tx)));
	return jobs;
}

/** `promo.issued` on the customer's timeline, once per code. */
export function issuedEvent(
	campaign: Campaign,
	code: PromoCodeRow,
	at: number,
): InboundEvent<'promo.issued'> {
	return {
		type: 'promo.issued',
		channel: 'nitka',
		occurredAt: at,
		sourceKey: `promo:issued:${code.id}`,
		data: {
			code: code.code,
			campaign: campaign.name.slice(0, 200),
			...(code.expiresAt === null ? {} : { expiresAt: toIso(code.expiresAt) }),
		},
	};
}

/** The bot's message with the code (`message.out` + a send job); `key` makes it once-only. */
export async function codeMessage(
	tx: Db,
	input: {
		tenantId: string;
		rootId: string;
		campaign: Campaign;
		code: PromoCodeRow;
		chat: PromoChat;
		key: string;
		at: number;
	},
): Promise<OutboxJobInput[]> {
	return await botMessage(tx, {
		tenantId: input.tenantId,
		customerId: input.rootId,
		channel: input.chat.channel,
		connectionId: input.chat.connectionId,
		chatId: input.chat.chatId,
		text: codeText(input.campaign.offer, input.code.code, input.code.expiresAt),
		buttons: [STOP_BUTTON],
		key: input.key,
		at: input.at,
	});
}

const CHUNK = 100;

/**
 * Issues one personal code to every customer of the campaign's segment (identity on its channels
 * AND a current marketing consent, re-checked per customer at issue time), puts `promo.issued` on
 * each timeline and sends the code through the outbox where a chat is open. Idempotent: a customer
 * who holds a code of the campaign gets neither a second code nor a second message. Chunks of 100
 * customers commit one by one, so a big segment never holds the database for long.
 */
export async function issueToSegment(
	db: Db,
	deps: PromoDeps,
	tenantId: string,
	campaignId: string,
): Promise<PromoIssueResult> {
	const now = deps.clock.now();
	const campaign = await loadCampaign(db, tenantId, campaignId);
	if (!isLive(campaign, now)) {
		throw new ConflictError('the campaign is not active (paused, ended, not started yet or expired)');
	}
	const { roots } = await segmentOf(db, tenantId, campaign);
	const total: PromoIssueResult = { issued: 0, alreadyIssued: 0, messaged: 0, unreachable: 0 };
	for (let i = 0; i < roots.length; i += CHUNK) {
		const chunk = roots.slice(i, i + CHUNK);
		const counts = await db.transaction().execute(async (tx) => {
			const c: PromoIssueResult = { issued: 0, alreadyIssued: 0, messaged: 0, unreachable: 0 };
			const jobs: OutboxJobInput[] = [];
			const seen = new Set<string>();
			for (const listed of chunk) {
				// Merged since the segment was read, or withdrew consent since: decided now.
				const rootId = await rootOf(tx, tenantId, listed);
				if (seen.has(rootId)) continue;
				seen.add(rootId);
				if (!(await hasMarketingConsent(tx, tenantId, rootId))) continue;
				const { code, created } = await ensureCode(tx, tenantId, campaign, rootId, 'segment', now);
				if (!created) {
					c.alreadyIssued += 1;
					continue;
				}
				c.issued += 1;
				jobs.push(
					...(await appendAndReact(tx, deps, tenantId, rootId, [issuedEvent(campaign, code, now)], now)),
				);
				const chat = await promoChatOf(tx, tenantId, rootId, campaign.channels, deps.privateChat);
				if (!chat) {
					c.unreachable += 1;
					continue;
				}
				jobs.push(
					...(await codeMessage(tx, {
						tenantId,
						rootId,
						campaign,
						code,
						chat,
						key: `promo:code:${code.id}`,
						at: now,
					})),
				);
				c.messaged += 1;
			}
			if (jobs.length > 0) await enqueueJobs(tx, tenantId, jobs, now);
			return c;
		});
		total.issued += counts.issued;
		total.alreadyIssued += counts.alreadyIssued;
		total.messaged += counts.messaged;
		total.unreachable += counts.unreachable;
	}
	await markIssued(db, tenantId, campaign.id, now);
	await deps.durable();
	if (total.messaged > 0 || total.issued > 0) deps.committed();
	return total;
}
