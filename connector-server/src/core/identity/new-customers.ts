import {
	type IdentifierInput,
	IdentifierInputSchema,
	type IdentifierType,
	type ProfileHint,
	profileSourceRanks,
} from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId } from '../clock.ts';
import { TRUST } from './identity-graph.ts';
import { normalizeIdentifier } from './normalize.ts';

export interface UsableIdentifier {
	type: IdentifierType;
	value: string;
	verified: boolean;
}

/**
 * For a page of identifier batches (a page of marketplace orders, each naming its buyer or no one),
 * which batches resolveCustomer would merely create a customer for: at least one usable
 * identifier, none of them held by any customer, none named by another batch of the page. Those
 * get their usable identifiers (normalized, deduplicated, as resolveCustomer stores them); the
 * others null, to go through resolveCustomer one by one. One query for the whole page.
 */
export async function findNewCustomers(
	tx: Db,
	tenantId: string,
	batches: readonly IdentifierInput[][],
): Promise<(UsableIdentifier[] | null)[]> {
	const key = (i: { type: string; value: string }) => `${i.type}\u0000${i.value}`;
	const usable = batches.map((identifiers) => {
		const wanted = new Map<string, UsableIdentifier>();
		for (const raw of identifiers) {
			const parsed = IdentifierInputSchema.parse(raw);
			const normalized = normalizeIdentifier(parsed.type, parsed.value);
			if (!normalized.ok) continue;
			const found = { type: normalized.type, value: normalized.value, verified: parsed.verified };
			const prior = wanted.get(key(found));
			wanted.set(key(found), { ...found, verified: found.verified || (prior?.verified ?? false) });
		}
		return [...wanted.values()];
	});
	const named = new Map<string, number>();
	for (const list of usable) for (const i of list) named.set(key(i), (named.get(key(i)) ?? 0) + 1);
	const all = usable.flat();
	if (all.length === 0) return usable.map(() => null);
	const held = new Set<string>();
	for (let start = 0; start < all.length; start += 500) {
		const part = all.slice(start, start + 500);
		const rows = await tx
			.selectFrom('identities')
			.select(['type', 'value'])
			.where('tenant_id', '=', tenantId)
			.where('type', 'in', [...new Set(part.map((i) => i.type))])
			.where('value', 'in', [...new Set(part.map((i) => i.value))])
			.execute();
		for (const row of rows) held.add(key(row));
	}
	return usable.map((list) =>
		list.length > 0 && list.every((i) => named.get(key(i)) === 1 && !held.has(key(i))) ? list : null,
	);
}

/** A new independent customer, holding the offered name (as resolveCustomer's profile offer leaves it). */
export function newCustomerRow(
	tenantId: string,
	at: number,
	profile: ProfileHint | undefined,
): Database['customers'] {
	const id = newId(at);
	return {
		id,
		tenant_id: tenantId,
		parent_id: null,
		root_id: id,
		name: profile?.name ?? null,
		name_rank: profile ? profileSourceRanks[profile.source] : 0,
		name_at: profile ? at : 0,
		created_at: at,
		updated_at: at,
	};
}

/** The identity rows resolveCustomer writes for identifiers nobody held: asserted, or verified when proven. */
export function newIdentityRows(
	tenantId: string,
	customerId: string,
	identifiers: readonly UsableIdentifier[],
	source: string,
	at: number,
): Database['identities'][] {
	return identifiers.map((identifier) => ({
		id: newId(at),
		tenant_id: tenantId,
		customer_id: customerId,
		type: identifier.type,
		value: identifier.value,
		verified: identifier.verified ? TRUST.verified : TRUST.asserted,
		source,
		created_at: at,
	}));
}

/** Inserts new customers and their identities, 500 rows a statement. */
export async function insertNewCustomers(
	tx: Db,
	customers: readonly Database['customers'][],
	identities: readonly Database['identities'][],
): Promise<void> {
	for (let i = 0; i < customers.length; i += 500) {
		await tx
			.insertInto('customers')
			.values(customers.slice(i, i + 500))
			.execute();
	}
	for (let i = 0; i < identities.length; i += 500) {
		await tx
			.insertInto('identities')
			.values(identities.slice(i, i + 500))
			.onConflict((oc) => oc.columns(['tenant_id', 'type', 'value']).doNothing())
			.execute();
	}
}
