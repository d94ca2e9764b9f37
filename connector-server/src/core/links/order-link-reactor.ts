import {
	type EventData,
	type IdentifierType,
	type MessagingChannel,
	MessagingChannelSchema,
} from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../clock.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { appendEvent } from '../events/event-store.ts';
import { openReview, rootOf } from '../identity/identity-graph.ts';
import { normalizeIdentifier } from '../identity/normalize.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import { consumeLinkToken, issueLinkToken } from './link-tokens.ts';
import { joinMessengerAccount, messengerAccountOf } from './messenger-join.ts';
import {
	admitLookup,
	chatKey,
	claimAwaitingContact,
	closeSettledReviews,
	markOffered,
	type OrderClaim,
	offeredClaim,
	provablePhones,
	recordLookups,
	updateClaim,
} from './order-claims.ts';
import { orderLinkTexts, tenantLanguage } from './order-link-texts.ts';
import { findMentionedOrder, orderNumberCandidates } from './order-mentions.ts';

/** Button data of the offer: `ol:y:<token>` / `ol:n:<token>` (≤ 64 bytes, Telegram's callback_data cap). */
const DecisionSchema = z
	.string()
	.regex(/^ol:[yn]:[A-Za-z0-9_-]{16,64}$/)
	.transform((data) => ({ yes: data[3] === 'y', token: data.slice(5) }));
const OFFER_TTL_SECONDS = 7 * 24 * 3600;
const NOTE_AUTHOR = 'Nitka';

type Stored = Parameters<EventReactor>[0][number];
type Chat = { channel: MessagingChannel; connectionId: string; chatId: string };

export interface OrderLinkOptions {
	/** Whether the channel can ask for the customer's own phone (ChannelCapabilities.requestContact). */
	requestsContact?: (channel: MessagingChannel) => boolean;
	/** Whether a chat is one person's; offers are made in private chats only. */
	privateChat?: (channel: MessagingChannel, chatId: string) => boolean;
}

/**
 * "Is this your order?" A customer who names a known order number in a private chat is asked
 * whether it is theirs (yes/no buttons carrying a single-use token bound to the order's own
 * customer). An order number is a claim, not proof — WooCommerce numbers are short and sequential,
 * marketplace postings are printed on labels — so "yes" joins nothing by itself
 * (docs/identity.md, "An order number is a claim"):
 *
 * - it opens a merge review of the chat's customer and the order's, for the shop to decide; until
 *   then nothing links and nothing about the order goes to the chat;
 * - where the platform can share the customer's own contact (Telegram) and the order's customer
 *   holds a phone, the bot also asks for it: a contact whose phone matches joins at once (a proof,
 *   like the parcel insert's deep link) and settles the review.
 *
 * A chat may look up LOOKUPS_PER_DAY distinct numbers a day, and the offer repeats only the number
 * typed: nothing about the order (status, items, names) is shown before a join.
 */
export const createOrderLinkReactor =
	(clock: Clock, options: OrderLinkOptions = {}): EventReactor =>
	async (stored, tx) => {
		const jobs: OutboxJobInput[] = [];
		for (const item of stored) {
			if (item.event.type !== 'message.in') continue;
			const channel = MessagingChannelSchema.safeParse(item.event.channel);
			const data = item.event.data as EventData<'message.in'>;
			if (!channel.success || !data.connectionId) continue;
			const chat = { channel: channel.data, connectionId: data.connectionId, chatId: data.chatId };
			if (data.buttonData !== undefined) jobs.push(...(await decide(tx, item, chat, data.buttonData)));
			else if (item.event.sharedPhone)
				jobs.push(...(await proveByContact(tx, item, chat, item.event.sharedPhone)));
			else if (data.text && !data.editOf) jobs.push(...(await offer(tx, item, chat, data.text)));
		}
		return jobs;

		async function offer(db: Db, item: Stored, chat: Chat, text: string) {
			const candidates = orderNumberCandidates(text);
			if (candidates.length === 0) return [];
			if (options.privateChat && !options.privateChat(chat.channel, chat.chatId)) return [];
			const at = clock.now();
			const key = chatKey(chat);
			const admitted = await admitLookup(db, item.tenantId, key, candidates, at);
			if (!admitted) return [];
			await recordLookups(db, { tenantId: item.tenantId, chat: key, numbers: admitted.fresh, at });
			const order = await findMentionedOrder(db, item.tenantId, candidates);
			if (!order) return [];
			const customer = await rootOf(db, item.tenantId, item.customerId);
			if (customer === (await rootOf(db, item.tenantId, order.customerId))) return [];
			const texts = orderLinkTexts[await tenantLanguage(db, item.tenantId)];
			// The token is issued only when the offer is new (the message's key dedupes it).
			const question = {
				tenantId: item.tenantId,
				customerId: customer,
				...chat,
				text: texts.offer(order.number),
				key: `order-offer:${order.ref}:${customer}`,
				at,
			};
			const exists = await db
				.selectFrom('events')
				.select('id')
				.where('tenant_id', '=', item.tenantId)
				.where('source_key', '=', `nitka:bot:${question.key}`)
				.executeTakeFirst();
			if (exists) return [];
			const issued = await issueLinkToken(
				db,
				{
					tenantId: item.tenantId,
					customerId: order.customerId,
					// The order's own customer, not what claims merged it into (docs/identity.md, "Claims").
					exact: true,
					orderId: order.ref,
					ttlSeconds: OFFER_TTL_SECONDS,
				},
				at,
			);
			await markOffered(db, {
				tenantId: item.tenantId,
				chat: key,
				number: order.number,
				orderRef: order.ref,
				orderCustomerId: issued.customerId,
				at,
			});
			return await botMessage(db, {
				...question,
				buttons: [
					{ text: texts.yes, data: `ol:y:${issued.token}` },
					{ text: texts.no, data: `ol:n:${issued.token}` },
				],
			});
		}

		async function decide(db: Db, item: Stored, chat: Chat, buttonData: string) {
			const decision = DecisionSchema.safeParse(buttonData);
			if (!decision.success) return [];
			const account = await messengerAccountOf(db, item.tenantId, item.customerId, item.event.channel);
			if (!account) return [];
			const at = clock.now();
			const accountKey = `${account.type}:${account.value}`;
			const bound = await consumeLinkToken(db, item.tenantId, decision.data.token, accountKey, at);
			// Unknown, expired or already answered: the first answer stands.
			if (!bound?.orderId) return [];
			const key = chatKey(chat);
			const claim = await offeredClaim(db, item.tenantId, key, bound.orderId);
			if (!decision.data.yes) {
				if (claim) await updateClaim(db, claim.id, { status: 'declined', account: accountKey, at });
				return [];
			}
			const stranger = await rootOf(db, item.tenantId, item.customerId);
			if (stranger === (await rootOf(db, item.tenantId, bound.customerId))) return [];
			const number = claim?.number ?? (await numberOfOrder(db, item.tenantId, bound.orderId));
			const texts = orderLinkTexts[await tenantLanguage(db, item.tenantId)];
			// The order number is a claim: the shop decides, unless a shared contact proves it first.
			const reviewId = await openReview(
				db,
				item.tenantId,
				stranger,
				bound.customerId,
				`a chat named order ${number} and said it is theirs; an order number is not proof (anyone who saw it can type it)`,
				{ identifiers: [account], eventSourceKey: item.event.sourceKey },
				at,
			);
			for (const [customerId, suffix] of [
				[bound.customerId, 'order'],
				[item.customerId, 'chat'],
			] as const) {
				await note(db, item, customerId, `${reviewId}:${suffix}`, texts.reviewNote(chat.channel, number), at);
			}
			// A contact can prove it only where the platform shares one and the order's customer has a
			// phone (an email cannot be proven from a chat) and no other account of this messenger.
			const provable =
				options.requestsContact?.(chat.channel) === true &&
				!(await otherAccount(db, item.tenantId, bound.customerId, account)) &&
				(await provablePhones(db, item.tenantId, bound.customerId)).length > 0;
			const status = provable ? 'awaiting-contact' : 'review';
			if (claim) {
				await updateClaim(db, claim.id, {
					status,
					account: accountKey,
					orderCustomerId: bound.customerId,
					reviewId,
					at,
				});
			} else {
				// An offer made before claims were kept: recorded now, so a shared contact finds it.
				await markOffered(db, {
					tenantId: item.tenantId,
					chat: key,
					number,
					orderRef: bound.orderId,
					orderCustomerId: bound.customerId,
					at,
				});
				const made = await offeredClaim(db, item.tenantId, key, bound.orderId);
				if (made) await updateClaim(db, made.id, { status, account: accountKey, reviewId, at });
			}
			return await botMessage(db, {
				tenantId: item.tenantId,
				customerId: stranger,
				...chat,
				text: provable ? texts.askContact(number) : texts.review(number),
				...(provable ? { contactRequest: { text: texts.shareButton } } : {}),
				key: `order-claim:${reviewId}:${item.event.sourceKey}`,
				at,
			});
		}

		async function proveByContact(db: Db, item: Stored, chat: Chat, phone: string) {
			const at = clock.now();
			const claim = await claimAwaitingContact(db, item.tenantId, chatKey(chat), at);
			if (!claim?.order_customer_id) return [];
			const account = await messengerAccountOf(db, item.tenantId, item.customerId, item.event.channel);
			// Only the account that answered "yes" proves its own claim.
			if (!account || `${account.type}:${account.value}` !== claim.account) return [];
			const texts = orderLinkTexts[await tenantLanguage(db, item.tenantId)];
			const shared = normalizeIdentifier('phone', phone);
			const phones = await provablePhones(db, item.tenantId, claim.order_customer_id);
			const matches = shared.ok && phones.includes(shared.value);
			const joined =
				matches && shared.ok && (await joinByContact(db, item, chat, claim, account, shared.value, at));
			if (!joined) {
				await updateClaim(db, claim.id, { status: 'review', at });
				await note(
					db,
					item,
					claim.order_customer_id,
					`${claim.id}:contact`,
					texts.mismatchNote(chat.channel, claim.number),
					at,
				);
				return await botMessage(db, {
					tenantId: item.tenantId,
					customerId: await rootOf(db, item.tenantId, item.customerId),
					...chat,
					text: texts.mismatch,
					key: `order-claim:${claim.id}:contact`,
					at,
				});
			}
			await updateClaim(db, claim.id, { status: 'joined', at });
			const survivor = await rootOf(db, item.tenantId, claim.order_customer_id);
			await note(db, item, survivor, `${claim.id}:joined`, texts.contactNote(chat.channel, claim.number), at);
			return await botMessage(db, {
				tenantId: item.tenantId,
				customerId: survivor,
				...chat,
				text: texts.joined,
				key: `order-linked:${item.event.sourceKey}`,
				at,
			});
		}
	};

/**
 * The proof: the chat's own phone (shared from the platform) is one the order's customer holds.
 * Joins like a deep link, upgrades the phone to verified, and settles the reviews the join decided.
 */
async function joinByContact(
	db: Db,
	item: Stored,
	chat: Chat,
	claim: OrderClaim,
	account: { type: IdentifierType; value: string },
	phone: string,
	at: number,
): Promise<boolean> {
	const known = claim.order_customer_id;
	if (!known) return false;
	const already =
		(await rootOf(db, item.tenantId, known)) === (await rootOf(db, item.tenantId, item.customerId));
	const joined =
		already ||
		(await joinMessengerAccount(db, {
			tenantId: item.tenantId,
			channel: chat.channel,
			account,
			messengerCustomerId: item.customerId,
			knownCustomerId: known,
			sourceKey: item.event.sourceKey,
			method: 'shared-contact',
			proof: [{ type: 'phone', value: phone }],
			at,
		}));
	if (!joined) return false;
	// The owner proved it (a contact whose user id is the sender's): verified from now on.
	await db
		.updateTable('identities')
		.set({ verified: 1 })
		.where('tenant_id', '=', item.tenantId)
		.where('type', '=', 'phone')
		.where('value', '=', phone)
		.execute();
	await closeSettledReviews(db, item.tenantId, known, at);
	return true;
}

/** Whether the customer's tree holds another account of the same messenger (two people, not one). */
async function otherAccount(
	db: Db,
	tenantId: string,
	customerId: string,
	account: { type: IdentifierType; value: string },
): Promise<boolean> {
	const row = await db
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select('i.id')
		.where('i.tenant_id', '=', tenantId)
		.where('c.root_id', '=', await rootOf(db, tenantId, customerId))
		.where('i.type', '=', account.type)
		.where('i.value', '!=', account.value)
		.executeTakeFirst();
	return row !== undefined;
}

async function note(db: Db, item: Stored, customerId: string, key: string, text: string, at: number) {
	await appendEvent(db, {
		tenantId: item.tenantId,
		customerId,
		type: 'note',
		channel: 'nitka',
		occurredAt: at,
		recordedAt: at,
		sourceKey: `nitka:order-claim:${key}`,
		data: { text, author: NOTE_AUTHOR },
	});
}

/** The number of an order a link token names (an `orders` row id, or `woocommerce:<order id>`). */
async function numberOfOrder(db: Db, tenantId: string, ref: string): Promise<string> {
	if (ref.startsWith('woocommerce:')) {
		const event = await db
			.selectFrom('events')
			.select('data')
			.where('tenant_id', '=', tenantId)
			.where('source_key', '=', `woocommerce:order:${ref.slice('woocommerce:'.length)}:created`)
			.executeTakeFirst();
		const parsed = z.object({ number: z.string() }).safeParse(event ? JSON.parse(event.data) : null);
		return parsed.success ? parsed.data.number : ref.slice('woocommerce:'.length);
	}
	const row = await db
		.selectFrom('orders')
		.select('number')
		.where('tenant_id', '=', tenantId)
		.where('id', '=', ref)
		.executeTakeFirst();
	return row?.number ?? ref;
}
