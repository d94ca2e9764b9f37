import {
	type IdentifierInput,
	IdentifierInputSchema,
	type IdentifierType,
	type MergeRecord,
	type ProfileHint,
	profileSourceRanks,
} from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { appendEvent } from '../events/event-store.ts';
import { isSingleValued, normalizeIdentifier } from './normalize.ts';

/** A transaction or the database: every graph operation runs inside its caller's transaction. */
type Tx = Db;

export interface ResolveInput {
	tenantId: string;
	identifiers: IdentifierInput[];
	/** Where the identifiers came from, e.g. "telegram", "ozon", "host". */
	source: string;
	profile?: ProfileHint | undefined;
	/** The event that brought them, recorded as merge evidence. */
	eventSourceKey?: string | undefined;
	at: number;
}

export interface ResolveResult {
	/** The independent (root) customer the identifiers now resolve to. */
	customerId: string;
	created: boolean;
	merged: string[];
	reviews: string[];
	rejected: { type: IdentifierType; value: string; reason: string }[];
	/** Identifiers this call attached to a customer for the first time. */
	linked: { type: IdentifierType; value: string; verified: boolean }[];
}

interface Owned {
	type: IdentifierType;
	value: string;
	root: string;
}

/**
 * Finds or creates the customer that a set of strong identifiers belongs to, merging customers
 * the identifiers prove to be one person. Invariant: an identifier belongs to at most one
 * customer (unique per tenant, type and value), and resolves to exactly one independent root.
 */
export async function resolveCustomer(tx: Tx, input: ResolveInput): Promise<ResolveResult> {
	const rejected: ResolveResult['rejected'] = [];
	const wanted = new Map<string, { type: IdentifierType; value: string; verified: boolean }>();
	for (const raw of input.identifiers) {
		const parsed = IdentifierInputSchema.parse(raw);
		const normalized = normalizeIdentifier(parsed.type, parsed.value);
		if (!normalized.ok) {
			rejected.push({ type: parsed.type, value: parsed.value, reason: normalized.reason });
			continue;
		}
		const key = `${normalized.type}\u0000${normalized.value}`;
		const prior = wanted.get(key);
		wanted.set(key, {
			type: normalized.type,
			value: normalized.value,
			verified: (prior?.verified ?? false) || parsed.verified,
		});
	}
	if (wanted.size === 0) throw new ConflictError('no usable identifier to resolve a customer by');

	const owned = await findOwners(tx, input.tenantId, [...wanted.values()]);
	const roots = await orderRootsByAge(tx, input.tenantId, [...new Set(owned.map((o) => o.root))]);

	let customerId: string;
	let created = false;
	const merged: string[] = [];
	const reviews: string[] = [];
	if (roots.length === 0) {
		customerId = await createCustomer(tx, input.tenantId, input.at);
		created = true;
	} else {
		customerId = roots[0]!;
		for (const other of roots.slice(1)) {
			const evidence = {
				identifiers: owned
					.filter((o) => o.root === other || o.root === customerId)
					.map(({ type, value }) => ({ type, value })),
				eventSourceKey: input.eventSourceKey,
			};
			const conflict = await singleValuedConflict(tx, input.tenantId, customerId, other);
			if (conflict) {
				reviews.push(await openReview(tx, input.tenantId, customerId, other, conflict, evidence, input.at));
			} else {
				await mergeCustomers(tx, {
					tenantId: input.tenantId,
					survivorId: customerId,
					mergedId: other,
					rule: 'shared-identifier',
					evidence,
					at: input.at,
				});
				merged.push(other);
			}
		}
	}

	const ownedKeys = new Set(owned.map((o) => `${o.type}\u0000${o.value}`));
	const linked: ResolveResult['linked'] = [];
	for (const [key, identifier] of wanted) {
		if (ownedKeys.has(key)) {
			if (identifier.verified) await markVerified(tx, input.tenantId, identifier.type, identifier.value);
			continue;
		}
		const inserted = await tx
			.insertInto('identities')
			.values({
				id: newId(input.at),
				tenant_id: input.tenantId,
				customer_id: customerId,
				type: identifier.type,
				value: identifier.value,
				verified: identifier.verified ? 1 : 0,
				source: input.source,
				created_at: input.at,
			})
			.onConflict((oc) => oc.columns(['tenant_id', 'type', 'value']).doNothing())
			.executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) linked.push(identifier);
	}
	if (input.profile) await offerProfile(tx, input.tenantId, customerId, input.profile, input.at);
	return { customerId, created, merged, reviews, rejected, linked };
}

async function findOwners(
	tx: Tx,
	tenantId: string,
	identifiers: { type: IdentifierType; value: string }[],
): Promise<Owned[]> {
	const rows = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select(['i.type', 'i.value', 'c.root_id'])
		.where('i.tenant_id', '=', tenantId)
		.where((eb) =>
			eb.or(identifiers.map((id) => eb.and([eb('i.type', '=', id.type), eb('i.value', '=', id.value)]))),
		)
		.execute();
	return rows.map((row) => ({ type: row.type as IdentifierType, value: row.value, root: row.root_id }));
}

/** Oldest first: the oldest customer survives a merge, so ids users already know stay valid. */
async function orderRootsByAge(tx: Tx, tenantId: string, roots: string[]): Promise<string[]> {
	if (roots.length <= 1) return roots;
	const rows = await tx
		.selectFrom('customers')
		.select(['id'])
		.where('tenant_id', '=', tenantId)
		.where('id', 'in', roots)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map((row) => row.id);
}

export async function createCustomer(tx: Tx, tenantId: string, at: number): Promise<string> {
	const id = newId(at);
	await tx
		.insertInto('customers')
		.values({
			id,
			tenant_id: tenantId,
			parent_id: null,
			root_id: id,
			name: null,
			name_rank: 0,
			name_at: 0,
			created_at: at,
			updated_at: at,
		})
		.execute();
	return id;
}

async function markVerified(tx: Tx, tenantId: string, type: string, value: string): Promise<void> {
	await tx
		.updateTable('identities')
		.set({ verified: 1 })
		.where('tenant_id', '=', tenantId)
		.where('type', '=', type)
		.where('value', '=', value)
		.execute();
}

/** Keeps a name on the customer that supplied it; the display name is chosen across members at read. */
async function offerProfile(
	tx: Tx,
	tenantId: string,
	rootId: string,
	profile: ProfileHint,
	at: number,
): Promise<void> {
	const rank = profileSourceRanks[profile.source];
	await tx
		.updateTable('customers')
		.set({ name: profile.name, name_rank: rank, name_at: at, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', rootId)
		.where('name_rank', '<=', rank)
		.execute();
}

/** Members of a root's merge tree (the root included). */
export async function memberIds(tx: Tx, tenantId: string, rootId: string): Promise<string[]> {
	const rows = await tx
		.selectFrom('customers')
		.select('id')
		.where('tenant_id', '=', tenantId)
		.where('root_id', '=', rootId)
		.execute();
	return rows.map((row) => row.id);
}

/** A single-valued type on which the two trees hold different values, described; or null. */
async function singleValuedConflict(
	tx: Tx,
	tenantId: string,
	rootA: string,
	rootB: string,
): Promise<string | null> {
	const rows = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select(['i.type', 'i.value', 'c.root_id'])
		.where('i.tenant_id', '=', tenantId)
		.where('c.root_id', 'in', [rootA, rootB])
		.execute();
	const byType = new Map<string, { a: Set<string>; b: Set<string> }>();
	for (const row of rows) {
		if (!isSingleValued(row.type as IdentifierType)) continue;
		const entry = byType.get(row.type) ?? { a: new Set<string>(), b: new Set<string>() };
		(row.root_id === rootA ? entry.a : entry.b).add(row.value);
		byType.set(row.type, entry);
	}
	for (const [type, { a, b }] of byType) {
		if (a.size > 0 && b.size > 0 && [...b].some((value) => !a.has(value))) {
			return `both customers have a different ${type} id`;
		}
	}
	return null;
}

async function openReview(
	tx: Tx,
	tenantId: string,
	a: string,
	b: string,
	reason: string,
	evidence: MergeRecord['evidence'],
	at: number,
): Promise<string> {
	const [first, second] = a < b ? [a, b] : [b, a];
	const existing = await tx
		.selectFrom('merge_reviews')
		.select('id')
		.where('tenant_id', '=', tenantId)
		.where('customer_a', '=', first)
		.where('customer_b', '=', second)
		.where('status', '=', 'open')
		.executeTakeFirst();
	if (existing) return existing.id;
	const id = newId(at);
	await tx
		.insertInto('merge_reviews')
		.values({
			id,
			tenant_id: tenantId,
			customer_a: first,
			customer_b: second,
			reason,
			evidence: JSON.stringify(evidence),
			status: 'open',
			created_at: at,
			decided_at: null,
		})
		.execute();
	return id;
}

export interface MergeInput {
	tenantId: string;
	survivorId: string;
	mergedId: string;
	rule: 'shared-identifier' | 'manual' | 'review-approved';
	evidence: MergeRecord['evidence'];
	at: number;
}

/**
 * Merges one independent customer into another. Nothing is copied or moved: the merged customer
 * keeps its own identities and events and points at the survivor, so an unmerge is exact.
 */
export async function mergeCustomers(tx: Tx, input: MergeInput): Promise<string> {
	const { tenantId, survivorId, mergedId, at } = input;
	if (survivorId === mergedId) throw new ConflictError('a customer cannot be merged into itself');
	const pair = await tx
		.selectFrom('customers')
		.select(['id', 'root_id'])
		.where('tenant_id', '=', tenantId)
		.where('id', 'in', [survivorId, mergedId])
		.execute();
	for (const id of [survivorId, mergedId]) {
		const row = pair.find((customer) => customer.id === id);
		if (!row) throw new NotFoundError(`customer ${id}`);
		if (row.root_id !== id) throw new ConflictError(`customer ${id} is already merged into ${row.root_id}`);
	}
	await tx
		.updateTable('customers')
		.set({ parent_id: survivorId, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', mergedId)
		.execute();
	await tx
		.updateTable('customers')
		.set({ root_id: survivorId })
		.where('tenant_id', '=', tenantId)
		.where('root_id', '=', mergedId)
		.execute();
	const mergeId = newId(at);
	await tx
		.insertInto('merges')
		.values({
			id: mergeId,
			tenant_id: tenantId,
			survivor_id: survivorId,
			merged_id: mergedId,
			rule: input.rule,
			evidence: JSON.stringify(input.evidence),
			created_at: at,
			undone_at: null,
		})
		.execute();
	await appendEvent(tx, {
		tenantId,
		customerId: survivorId,
		type: 'customer.merged',
		channel: 'nitka',
		occurredAt: at,
		sourceKey: `nitka:merge:${mergeId}`,
		data: { mergeId, survivorId, mergedId, rule: input.rule, evidence: input.evidence },
		recordedAt: at,
	});
	return mergeId;
}

/**
 * Undoes a merge: the merged customer (and whatever had been merged into it) becomes independent
 * again with exactly its own identities and events. Identities and events that arrived on the
 * survivor after the merge stay with the survivor.
 */
export async function unmergeCustomers(
	tx: Tx,
	input: { tenantId: string; mergeId: string; reason?: string | undefined; at: number },
): Promise<{ survivorId: string; mergedId: string }> {
	const merge = await tx
		.selectFrom('merges')
		.selectAll()
		.where('tenant_id', '=', input.tenantId)
		.where('id', '=', input.mergeId)
		.executeTakeFirst();
	if (!merge) throw new NotFoundError(`merge ${input.mergeId}`);
	if (merge.undone_at !== null) throw new ConflictError(`merge ${input.mergeId} was already undone`);
	const merged = await tx
		.selectFrom('customers')
		.select(['parent_id', 'root_id'])
		.where('tenant_id', '=', input.tenantId)
		.where('id', '=', merge.merged_id)
		.executeTakeFirstOrThrow();
	if (merged.parent_id !== merge.survivor_id) {
		throw new ConflictError(`customer ${merge.merged_id} is no longer merged into ${merge.survivor_id}`);
	}
	await tx
		.updateTable('customers')
		.set({ parent_id: null, updated_at: input.at })
		.where('tenant_id', '=', input.tenantId)
		.where('id', '=', merge.merged_id)
		.execute();
	// Re-root the merged customer's subtree: it and everything merged into it, transitively.
	const subtree = await subtreeOf(tx, input.tenantId, merge.merged_id);
	await tx
		.updateTable('customers')
		.set({ root_id: merge.merged_id })
		.where('tenant_id', '=', input.tenantId)
		.where('id', 'in', subtree)
		.execute();
	await tx.updateTable('merges').set({ undone_at: input.at }).where('id', '=', merge.id).execute();
	await appendEvent(tx, {
		tenantId: input.tenantId,
		customerId: merge.survivor_id,
		type: 'customer.unmerged',
		channel: 'nitka',
		occurredAt: input.at,
		recordedAt: input.at,
		sourceKey: `nitka:unmerge:${merge.id}`,
		data: {
			mergeId: merge.id,
			survivorId: merge.survivor_id,
			mergedId: merge.merged_id,
			reason: input.reason,
		},
	});
	return { survivorId: merge.survivor_id, mergedId: merge.merged_id };
}

async function subtreeOf(tx: Tx, tenantId: string, top: string): Promise<string[]> {
	const all = [top];
	let frontier = [top];
	while (frontier.length > 0) {
		const children = await tx
			.selectFrom('customers')
			.select('id')
			.where('tenant_id', '=', tenantId)
			.where('parent_id', 'in', frontier)
			.execute();
		frontier = children.map((child) => child.id);
		all.push(...frontier);
	}
	return all;
}

/** The independent customer an id resolves to (itself, or the root it was merged into). */
export async function rootOf(tx: Tx, tenantId: string, customerId: string): Promise<string> {
	const row = await tx
		.selectFrom('customers')
		.select('root_id')
		.where('tenant_id', '=', tenantId)
		.where('id', '=', customerId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`customer ${customerId}`);
	return row.root_id;
}

/** Resolves an identifier to its independent customer without creating anything. */
export async function findCustomerByIdentifier(
	tx: Tx,
	tenantId: string,
	type: IdentifierType,
	rawValue: string,
): Promise<string | null> {
	const normalized = normalizeIdentifier(type, rawValue);
	if (!normalized.ok) return null;
	const row = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select('c.root_id')
		.where('i.tenant_id', '=', tenantId)
		.where('i.type', '=', normalized.type)
		.where('i.value', '=', normalized.value)
		.executeTakeFirst();
	return row?.root_id ?? null;
}
