import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import { CLAIMED_MERGE_RULE, memberIds, rootOf } from '../identity/identity-graph.ts';

/**
 * An order number named in a chat is a claim, not proof (docs/identity.md, "An order number is a
 * claim"). One row per number a chat named; what came of it is its status.
 */
export const OrderClaimStatusSchema = z.enum([
	/** No single order carries the number. */
	'missed',
	/** The bot asked "is order N yours?". */
	'offered',
	'declined',
	/** "Yes" opened a review; a shared contact matching the order's phone may still join at once. */
	'awaiting-contact',
	/** "Yes" opened a review; only the shop's decision joins. */
	'review',
	'joined',
	/** The shop rejected the review. */
	'rejected',
]);
export type OrderClaimStatus = z.infer<typeof OrderClaimStatusSchema>;

const OrderClaimRowSchema = z.object({
	id: z.string(),
	tenant_id: z.string(),
	chat: z.string(),
	account: z.string().nullable(),
	number: z.string(),
	order_ref: z.string().nullable(),
	order_customer_id: z.string().nullable(),
	status: OrderClaimStatusSchema,
	review_id: z.string().nullable(),
	created_at: z.coerce.number(),
	updated_at: z.coerce.number(),
});
export type OrderClaim = z.infer<typeof OrderClaimRowSchema>;

/** Distinct order numbers one chat may have looked up in any 24 hours: enumeration stays slow. */
export const LOOKUPS_PER_DAY = 5;
/**
 * Numbers the whole shop looks up in any hour, whatever the number of chats (many throwaway
 * accounts). Far above a small shop's real traffic; beyond it offers pause — messages still reach
 * the staff, so a flood costs the shop convenience, never a wrong join.
 */
export const TENANT_LOOKUPS_PER_HOUR = 100;
const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
/** How long a "yes" waits for the shared contact that can prove it. */
export const CONTACT_WAIT_MS = DAY_MS;

export const chatKey = (chat: { channel: string; connectionId: string; chatId: string }) =>
	`${chat.channel}:${chat.connectionId}:${chat.chatId}`;

/**
 * The numbers of a message that may be looked up now: those the chat named in the last 24 hours
 * (already counted) and new ones while the chat stays within LOOKUPS_PER_DAY distinct numbers and
 * the shop within TENANT_LOOKUPS_PER_HOUR.
 * Null when the new ones would pass it: the message is then not looked up at all, and nothing is
 * recorded (the answer to an over-eager chat is silence, not a hint).
 */
export async function admitLookup(
	tx: Db,
	tenantId: string,
	chat: string,
	candidates: string[],
	at: number,
): Promise<{ fresh: string[] } | null> {
	const rows = await tx
		.selectFrom('order_claims')
		.select('number')
		.where('tenant_id', '=', tenantId)
		.where('chat', '=', chat)
		.where('created_at', '>', at - DAY_MS)
		.execute();
	const seen = new Set(rows.map((row) => row.number));
	const fresh = candidates.filter((number) => !seen.has(number));
	if (seen.size + fresh.length > LOOKUPS_PER_DAY) return null;
	if (fresh.length === 0) return { fresh };
	const shop = await tx
		.selectFrom('order_claims')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('tenant_id', '=', tenantId)
		.where('created_at', '>', at - HOUR_MS)
		.executeTakeFirst();
	if (Number(shop?.n ?? 0) + fresh.length > TENANT_LOOKUPS_PER_HOUR) return null;
	return { fresh };
}

export async function recordLookups(
	tx: Db,
	input: { tenantId: string; chat: string; numbers: string[]; at: number },
): Promise<void> {
	for (const number of input.numbers) {
		await tx
			.insertInto('order_claims')
			.values({
				id: newId(input.at),
				tenant_id: input.tenantId,
				chat: input.chat,
				account: null,
				number,
				order_ref: null,
				order_customer_id: null,
				status: 'missed',
				review_id: null,
				created_at: input.at,
				updated_at: input.at,
			})
			.execute();
	}
}

/**
 * Marks the newest row of a number the chat named as offered for that order; a number whose earlier
 * claim already went further (a review, a join) gets a row of its own.
 */
export async function markOffered(
	tx: Db,
	input: {
		tenantId: string;
		chat: string;
		number: string;
		orderRef: string;
		orderCustomerId: string;
		at: number;
	},
): Promise<void> {
	const row = await tx
		.selectFrom('order_claims')
		.select('id')
		.where('tenant_id', '=', input.tenantId)
		.where('chat', '=', input.chat)
		.where('number', '=', input.number)
		.where('status', 'in', ['missed', 'offered'])
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	const values = {
		order_ref: input.orderRef,
		order_customer_id: input.orderCustomerId,
		status: 'offered' satisfies OrderClaimStatus,
		updated_at: input.at,
	};
	if (row) {
		await tx.updateTable('order_claims').set(values).where('id', '=', row.id).execute();
		return;
	}
	await tx
		.insertInto('order_claims')
		.values({
			id: newId(input.at),
			tenant_id: input.tenantId,
			chat: input.chat,
			account: null,
			number: input.number,
			review_id: null,
			created_at: input.at,
			...values,
		})
		.execute();
}

/** The claim an answer to an offer belongs to: the chat's newest offer of that order. */
export async function offeredClaim(
	tx: Db,
	tenantId: string,
	chat: string,
	orderRef: string,
): Promise<OrderClaim | null> {
	const row = await tx
		.selectFrom('order_claims')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('chat', '=', chat)
		.where('order_ref', '=', orderRef)
		.where('status', '=', 'offered')
		.orderBy('updated_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return row ? OrderClaimRowSchema.parse(row) : null;
}

/** The chat's claim waiting for a shared contact, if one is still waiting. */
export async function claimAwaitingContact(
	tx: Db,
	tenantId: string,
	chat: string,
	at: number,
): Promise<OrderClaim | null> {
	const row = await tx
		.selectFrom('order_claims')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('chat', '=', chat)
		.where('status', '=', 'awaiting-contact')
		.where('updated_at', '>', at - CONTACT_WAIT_MS)
		.orderBy('updated_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return row ? OrderClaimRowSchema.parse(row) : null;
}

export async function updateClaim(
	tx: Db,
	id: string,
	values: {
		status: OrderClaimStatus;
		account?: string;
		orderCustomerId?: string;
		reviewId?: string;
		at: number;
	},
): Promise<void> {
	await tx
		.updateTable('order_claims')
		.set({
			status: values.status,
			updated_at: values.at,
			...(values.account !== undefined ? { account: values.account } : {}),
			...(values.orderCustomerId !== undefined ? { order_customer_id: values.orderCustomerId } : {}),
			...(values.reviewId !== undefined ? { review_id: values.reviewId } : {}),
		})
		.where('id', '=', id)
		.execute();
}

/**
 * The phones a chat may prove an order by: those of the order's own customer and of the customers
 * firmly merged with it — never of members joined on claims alone (another guest who typed the
 * same email could have typed their own phone beside it).
 */
export async function provablePhones(tx: Db, tenantId: string, customerId: string): Promise<string[]> {
	const members = await tx
		.selectFrom('customers')
		.select(['id', 'parent_id'])
		.where('tenant_id', '=', tenantId)
		.where('root_id', '=', await rootOf(tx, tenantId, customerId))
		.execute();
	const claimed = new Set(
		(
			await tx
				.selectFrom('merges')
				.select('merged_id')
				.where('tenant_id', '=', tenantId)
				.where('rule', '=', CLAIMED_MERGE_RULE)
				.where('undone_at', 'is', null)
				.where(
					'merged_id',
					'in',
					members.map((member) => member.id),
				)
				.execute()
		).map((row) => row.merged_id),
	);
	// The tree without its claimed edges; the part that holds the order's customer.
	const links = new Map<string, string[]>();
	for (const member of members) {
		if (!member.parent_id || claimed.has(member.id)) continue;
		links.set(member.id, [...(links.get(member.id) ?? []), member.parent_id]);
		links.set(member.parent_id, [...(links.get(member.parent_id) ?? []), member.id]);
	}
	const part = new Set([customerId]);
	const queue = [customerId];
	for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
		for (const other of links.get(next) ?? []) {
			if (part.has(other)) continue;
			part.add(other);
			queue.push(other);
		}
	}
	const rows = await tx
		.selectFrom('identities')
		.select('value')
		.where('tenant_id', '=', tenantId)
		.where('type', '=', 'phone')
		.where('customer_id', 'in', [...part])
		.execute();
	return rows.map((row) => row.value);
}

/**
 * Closes the open reviews a join settled (both customers now in one tree) as approved: nothing is
 * left to decide. Ids of the closed reviews.
 */
export async function closeSettledReviews(
	tx: Db,
	tenantId: string,
	customerId: string,
	at: number,
): Promise<string[]> {
	const members = await memberIds(tx, tenantId, await rootOf(tx, tenantId, customerId));
	const open = await tx
		.selectFrom('merge_reviews')
		.select(['id', 'customer_a', 'customer_b'])
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'open')
		.where((eb) => eb.or([eb('customer_a', 'in', members), eb('customer_b', 'in', members)]))
		.execute();
	const inTree = new Set(members);
	const settled = open.filter((review) => inTree.has(review.customer_a) && inTree.has(review.customer_b));
	for (const review of settled) {
		await tx
			.updateTable('merge_reviews')
			.set({ status: 'approved', decided_at: at })
			.where('id', '=', review.id)
			.where('status', '=', 'open')
			.execute();
	}
	return settled.map((review) => review.id);
}
