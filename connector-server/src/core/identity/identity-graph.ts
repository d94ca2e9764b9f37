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

/**
 * How much an identifier is worth, as `identities.verified` stores it: proven by a platform (a
 * messenger account, a shared own contact, a signed-in shop account), asserted by a source that
 * is trusted to know (a CRM contact, a marketplace buyer), or claimed — typed by someone nobody
 * authenticated (a guest checkout). Claims never join or reach a customer that holds anything
 * better (docs/identity.md, "Claims").
 */
export const TRUST = { claimed: -1, asserted: 0, verified: 1 } as const;
type Trust = (typeof TRUST)[keyof typeof TRUST];

/** The rule of a merge made on claims alone: provisional, undone when a deep link proves one side. */
export const CLAIMED_MERGE_RULE = 'claimed-identifier';

export interface ResolveInput {
	tenantId: string;
	identifiers: IdentifierInput[];
	/** Where the identifiers came from, e.g. "telegram", "ozon", "host". */
	source: string;
	profile?: ProfileHint | undefined;
	/** The event that brought them, recorded as merge evidence. */
	eventSourceKey?: string | undefined;
	/** The unverified identifiers are claims (typed by someone nobody authenticated). */
	claims?: boolean | undefined;
	/**
	 * A customer the batch certainly belongs to (a later delivery of the same order, the customer a
	 * host contact is made for): the batch is stored on it, whatever its identifiers claim.
	 */
	anchorCustomerId?: string | undefined;
	at: number;
}

export interface ResolveResult {
	/** The independent (root) customer the identifiers now resolve to. */
	customerId: string;
	/**
	 * The customer the batch's events and new identifiers belong on: the root; the anchor; or, for a
	 * batch that reached other customers through claims only, a customer created for it (merged
	 * provisionally into claim-only customers, or left apart with a review).
	 */
	holderId: string;
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
	trust: Trust;
}

interface Wanted {
	type: IdentifierType;
	value: string;
	verified: boolean;
	trust: Trust;
}

/**
 * Finds or creates the customer that a set of strong identifiers belongs to, merging customers
 * the identifiers prove to be one person. Invariant: an identifier belongs to at most one
 * customer (unique per tenant, type and value), and resolves to exactly one independent root.
 */
export async function resolveCustomer(tx: Tx, input: ResolveInput): Promise<ResolveResult> {
	const rejected: ResolveResult['rejected'] = [];
	const wanted = new Map<string, Wanted>();
	for (const raw of input.identifiers) {
		const parsed = IdentifierInputSchema.parse(raw);
		const normalized = normalizeIdentifier(parsed.type, parsed.value);
		if (!normalized.ok) {
			rejected.push({ type: parsed.type, value: parsed.value, reason: normalized.reason });
			continue;
		}
		const key = `${normalized.type}\u0000${normalized.value}`;
		const trust: Trust = parsed.verified ? TRUST.verified : input.claims ? TRUST.claimed : TRUST.asserted;
		const prior = wanted.get(key);
		wanted.set(key, {
			type: normalized.type,
			value: normalized.value,
			verified: (prior?.verified ?? false) || parsed.verified,
			trust: Math.max(prior?.trust ?? TRUST.claimed, trust) as Trust,
		});
	}
	if (wanted.size === 0 && !input.anchorCustomerId) {
		throw new ConflictError('no usable identifier to resolve a customer by');
	}

	const owned = wanted.size > 0 ? await findOwners(tx, input.tenantId, [...wanted.values()]) : [];
	// A tree is reached firmly when an identifier connects it without a claim on either side (or it
	// holds the anchor); through claims only, it is joined only when both sides are claims alone.
	const firm = new Set<string>();
	const claimedEvidence = new Map<string, Owned[]>();
	if (input.anchorCustomerId) firm.add(await rootOf(tx, input.tenantId, input.anchorCustomerId));
	// A batch with no claims of its own that names only what one customer already holds (a known
	// customer addressed by one of their identifiers, as the counter does) moves nothing: it is theirs.
	const ownerRoots = new Set(owned.map((o) => o.root));
	if (
		owned.length === wanted.size &&
		ownerRoots.size === 1 &&
		[...wanted.values()].every((w) => w.trust >= TRUST.asserted)
	) {
		for (const root of ownerRoots) firm.add(root);
	}
	for (const owner of owned) {
		const incoming = wanted.get(`${owner.type}\u0000${owner.value}`)?.trust ?? TRUST.claimed;
		if (Math.min(incoming, owner.trust) >= TRUST.asserted) firm.add(owner.root);
		else claimedEvidence.set(owner.root, [...(claimedEvidence.get(owner.root) ?? []), owner]);
	}
	const firmRoots = await orderRootsByAge(tx, input.tenantId, [...firm]);
	const claimedRoots = [...claimedEvidence.keys()].filter((root) => !firm.has(root));

	let holderId: string;
	let created = false;
	const merged: string[] = [];
	const reviews: string[] = [];
	if (input.anchorCustomerId) holderId = input.anchorCustomerId;
	else if (firmRoots[0]) holderId = firmRoots[0];
	else {
		holderId = await createCustomer(tx, input.tenantId, input.at);
		created = true;
	}
	let customerId = firmRoots[0] ?? holderId;
	for (const other of firmRoots.slice(1)) {
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
	if (input.anchorCustomerId) customerId = await rootOf(tx, input.tenantId, holderId);

	if (claimedRoots.length > 0) {
		const claimsOnly =
			[...wanted.values()].every((w) => w.trust === TRUST.claimed) &&
			(await holdsOnlyClaims(tx, input.tenantId, customerId));
		const joinable: string[] = [];
		for (const root of claimedRoots) {
			const evidence = {
				identifiers: (claimedEvidence.get(root) ?? []).map(({ type, value }) => ({ type, value })),
				eventSourceKey: input.eventSourceKey,
			};
			if (claimsOnly && (await holdsOnlyClaims(tx, input.tenantId, root))) {
				joinable.push(root);
				continue;
			}
			reviews.push(
				await openReview(
					tx,
					input.tenantId,
					customerId,
					root,
					'the identifiers that connect them were typed by someone nobody authenticated (a claim)',
					evidence,
					input.at,
				),
			);
		}
		// Claims with claims (repeat guests): one timeline, provisionally — a deep link undoes it.
		const group = await orderRootsByAge(tx, input.tenantId, [customerId, ...joinable]);
		const survivor = group[0] ?? customerId;
		for (const other of group.slice(1)) {
			const evidence = {
				identifiers: owned
					.filter((o) => o.root === other || o.root === survivor)
					.map(({ type, value }) => ({ type, value })),
				eventSourceKey: input.eventSourceKey,
			};
			const conflict = await singleValuedConflict(tx, input.tenantId, survivor, other);
			if (conflict) {
				reviews.push(await openReview(tx, input.tenantId, survivor, other, conflict, evidence, input.at));
				continue;
			}
			await mergeCustomers(tx, {
				tenantId: input.tenantId,
				survivorId: survivor,
				mergedId: other,
				rule: CLAIMED_MERGE_RULE,
				evidence,
				at: input.at,
			});
			merged.push(other);
		}
		customerId = await rootOf(tx, input.tenantId, holderId);
	}

	const linked: ResolveResult['linked'] = [];
	const ownerOf = new Map(owned.map((o) => [`${o.type}\u0000${o.value}`, o.root]));
	for (const [key, identifier] of wanted) {
		const ownerRoot = ownerOf.get(key);
		if (ownerRoot !== undefined) {
			// Proof upgrades an identifier only where it now belongs to this customer, never across a review.
			if (identifier.verified && (await rootOf(tx, input.tenantId, ownerRoot)) === customerId) {
				await markVerified(tx, input.tenantId, identifier.type, identifier.value);
			}
			continue;
		}
		const inserted = await tx
			.insertInto('identities')
			.values({
				id: newId(input.at),
				tenant_id: input.tenantId,
				customer_id: holderId,
				type: identifier.type,
				value: identifier.value,
				verified: identifier.trust,
				source: input.source,
				created_at: input.at,
			})
			.onConflict((oc) => oc.columns(['tenant_id', 'type', 'value']).doNothing())
			.executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
			linked.push({ type: identifier.type, value: identifier.value, verified: identifier.verified });
		}
	}
	if (input.profile) await offerProfile(tx, input.tenantId, holderId, input.profile, input.at);
	return { customerId, holderId, created, merged, reviews, rejected, linked };
}

/** True when no identifier of the tree is better than a claim (an empty tree holds only claims too). */
async function holdsOnlyClaims(tx: Tx, tenantId: string, rootId: string): Promise<boolean> {
	const better = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select('i.id')
		.where('i.tenant_id', '=', tenantId)
		.where('c.root_id', '=', rootId)
		.where('i.verified', '>=', TRUST.asserted)
		.executeTakeFirst();
	return !better;
}

/**
 * Undoes the provisional merges (made on claims alone) in a customer's tree, each with a review so
 * the shop can join them again. A deep link proves only the order it was issued for: the messenger
 * it brings must not reach other guests' orders that merely claimed the same email or phone.
 */
export async function dissolveClaimedMerges(
	tx: Tx,
	tenantId: string,
	customerId: string,
	at: number,
): Promise<string[]> {
	const members = await memberIds(tx, tenantId, await rootOf(tx, tenantId, customerId));
	const claimed = await tx
		.selectFrom('merges')
		.select(['id', 'survivor_id', 'merged_id', 'evidence'])
		.where('tenant_id', '=', tenantId)
		.where('rule', '=', CLAIMED_MERGE_RULE)
		.where('undone_at', 'is', null)
		.where('merged_id', 'in', members)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	for (const merge of claimed) {
		await unmergeCustomers(tx, {
			tenantId,
			mergeId: merge.id,
			reason: 'a deep link proved only one order of a merge made on claims',
			at,
		});
	}
	const reviews: string[] = [];
	for (const merge of claimed) {
		const [a, b] = await Promise.all([
			rootOf(tx, tenantId, merge.survivor_id),
			rootOf(tx, tenantId, merge.merged_id),
		]);
		if (a === b) continue;
		reviews.push(
			await openReview(
				tx,
				tenantId,
				a,
				b,
				'joined on identifiers typed by a guest; undone when a deep link proved one of the orders',
				JSON.parse(merge.evidence) as MergeRecord['evidence'],
				at,
			),
		);
	}
	return reviews;
}

async function findOwners(
	tx: Tx,
	tenantId: string,
	identifiers: { type: IdentifierType; value: string }[],
): Promise<Owned[]> {
	const rows = await tx
		.selectFrom('identities as i')
		.innerJoin('customers as c', 'c.id', 'i.customer_id')
		.select(['i.type', 'i.value', 'i.verified', 'c.root_id'])
		.where('i.tenant_id', '=', tenantId)
		.where((eb) =>
			eb.or(identifiers.map((id) => eb.and([eb('i.type', '=', id.type), eb('i.value', '=', id.value)]))),
		)
		.execute();
	return rows.map((row) => ({
		type: row.type as IdentifierType,
		value: row.value,
		root: row.root_id,
		trust: Math.max(TRUST.claimed, Math.min(TRUST.verified, Number(row.verified))) as Trust,
	}));
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

/** Opens a merge review of two customers (the same open pair is reviewed once): its id. */
export async function openReview(
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
	rule: 'shared-identifier' | typeof CLAIMED_MERGE_RULE | 'manual' | 'review-approved';
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
