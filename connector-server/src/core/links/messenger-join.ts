import type { EventChannel, IdentifierType } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { maskString } from '../../observability/personal-data.ts';
import { appendEvent } from '../events/event-store.ts';
import { dissolveClaimedMerges, mergeCustomers, rootOf } from '../identity/identity-graph.ts';

export const messengerIdentifier: Partial<Record<EventChannel, IdentifierType>> = {
	telegram: 'telegram',
	vk: 'vk',
	max: 'max',
};

/** The messenger account (e.g. `telegram:424242`) of a customer, as link tokens record their user. */
export async function messengerAccountOf(
	tx: Db,
	tenantId: string,
	customerId: string,
	channel: EventChannel,
): Promise<{ type: IdentifierType; value: string } | null> {
	const type = messengerIdentifier[channel];
	if (!type) return null;
	const identity = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select(['i.value'])
		.where('i.tenant_id', '=', tenantId)
		.where('i.type', '=', type)
		.where('c.root_id', '=', await rootOf(tx, tenantId, customerId))
		.executeTakeFirst();
	return identity ? { type, value: identity.value } : null;
}

/**
 * Joins the customer behind a messenger account to a known customer (the one a token was bound
 * to, or the order whose phone the account proved by a shared contact): a merge with its evidence,
 * shown on the timeline and undoable. Refused when the known customer already has another account
 * of that messenger — two people, not one. Merges made on claims alone around the known customer
 * are undone first (each with a review): the proof is about that customer, not the guests who
 * typed the same email or phone.
 */
export async function joinMessengerAccount(
	tx: Db,
	input: {
		tenantId: string;
		channel: EventChannel;
		account: { type: IdentifierType; value: string };
		messengerCustomerId: string;
		knownCustomerId: string;
		sourceKey: string;
		/** How the account proved the customer: a deep link, or a shared contact matching the order's phone. */
		method: 'deep-link' | 'message' | 'shared-contact';
		/** Identifiers that proved it besides the account (the shared phone), kept as merge evidence. */
		proof?: { type: IdentifierType; value: string }[];
		at: number;
	},
): Promise<boolean> {
	const { tenantId, account, at } = input;
	const [known, stranger] = await Promise.all([
		rootOf(tx, tenantId, input.knownCustomerId),
		rootOf(tx, tenantId, input.messengerCustomerId),
	]);
	if (known === stranger) return false;
	// The link proves the customer it was bound to (an order's own), not what claims merged into it.
	await dissolveClaimedMerges(tx, tenantId, input.knownCustomerId, at);
	const survivor = await rootOf(tx, tenantId, input.knownCustomerId);
	if (survivor === stranger) return false;
	const clash = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select('i.value')
		.where('i.tenant_id', '=', tenantId)
		.where('c.root_id', '=', survivor)
		.where('i.type', '=', account.type)
		.where('i.value', '!=', account.value)
		.executeTakeFirst();
	if (clash) return false;
	await mergeCustomers(tx, {
		tenantId,
		survivorId: survivor,
		mergedId: stranger,
		rule: 'shared-identifier',
		evidence: { identifiers: [account, ...(input.proof ?? [])], eventSourceKey: input.sourceKey },
		at,
	});
	await appendEvent(tx, {
		tenantId,
		customerId: survivor,
		type: 'identity.linked',
		channel: input.channel,
		occurredAt: at,
		recordedAt: at,
		sourceKey: `${input.sourceKey}:${input.method}`,
		data: { type: account.type, value: maskString(account.value), method: input.method },
	});
	return true;
}
