import { MergeEvidenceSchema, type MergeRecord, type MergeReview } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { toIso } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { mergeCustomers, rootOf, unmergeCustomers } from '../identity/identity-graph.ts';
import { parseJsonColumn } from '../json.ts';
import { settleOrderClaims } from '../links/order-claim-reviews.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';

/** Staff merge two customers by hand (e.g. from the review queue or a host's duplicate). */
export async function manualMerge(
	db: Db,
	tenantId: string,
	survivorId: string,
	mergedId: string,
	at: number,
	rule: 'manual' | 'review-approved' = 'manual',
): Promise<string> {
	return await db.transaction().execute(async (tx) => {
		const survivorRoot = await rootOf(tx, tenantId, survivorId);
		const mergedRoot = await rootOf(tx, tenantId, mergedId);
		if (survivorRoot === mergedRoot) throw new ConflictError('these customers are already one');
		return await mergeCustomers(tx, {
			tenantId,
			survivorId: survivorRoot,
			mergedId: mergedRoot,
			rule,
			evidence: { identifiers: [] },
			at,
		});
	});
}

export async function unmerge(db: Db, tenantId: string, mergeId: string, at: number, reason?: string) {
	return await db.transaction().execute((tx) => unmergeCustomers(tx, { tenantId, mergeId, reason, at }));
}

type MergeRow = Database['merges'];

const toMergeRecord = (row: MergeRow): MergeRecord => ({
	id: row.id,
	survivorId: row.survivor_id,
	mergedId: row.merged_id,
	rule: row.rule,
	evidence: parseJsonColumn(MergeEvidenceSchema, row.evidence, 'merges.evidence'),
	createdAt: toIso(Number(row.created_at)),
	undoneAt: row.undone_at === null ? null : toIso(Number(row.undone_at)),
});

/** The merges that made this customer what it is (including undone ones, for the audit trail). */
export async function listMergesOf(db: Db, tenantId: string, customerId: string): Promise<MergeRecord[]> {
	const rootId = await rootOf(db, tenantId, customerId);
	const members = (
		await db
			.selectFrom('customers')
			.select('id')
			.where('tenant_id', '=', tenantId)
			.where('root_id', '=', rootId)
			.execute()
	).map((row) => row.id);
	const rows = await db
		.selectFrom('merges')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where((eb) => eb.or([eb('survivor_id', 'in', members), eb('merged_id', 'in', members)]))
		.orderBy('id', 'desc')
		.execute();
	return rows.map(toMergeRecord);
}

type ReviewRow = Database['merge_reviews'];

const toReview = (row: ReviewRow): MergeReview => ({
	id: row.id,
	customerIds: [row.customer_a, row.customer_b],
	reason: row.reason,
	evidence: parseJsonColumn(MergeEvidenceSchema, row.evidence, 'merge_reviews.evidence'),
	status: row.status as MergeReview['status'],
	createdAt: toIso(Number(row.created_at)),
	decidedAt: row.decided_at === null ? null : toIso(Number(row.decided_at)),
});

export async function listReviews(
	db: Db,
	tenantId: string,
	status: MergeReview['status'] = 'open',
): Promise<MergeReview[]> {
	const rows = await db
		.selectFrom('merge_reviews')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('status', '=', status)
		.orderBy('id')
		.limit(500)
		.execute();
	return rows.map(toReview);
}

/**
 * Approving merges the two (the older survives); rejecting keeps them apart and closes the review.
 * A review opened by an order-number claim also settles the claim (links/order-claim-reviews.ts).
 */
export async function decideReview(
	db: Db,
	tenantId: string,
	reviewId: string,
	decision: 'approve' | 'reject',
	at: number,
): Promise<{ review: MergeReview; mergeId: string | null }> {
	const status = decision === 'approve' ? 'approved' : 'rejected';
	return await db.transaction().execute(async (tx) => {
		// Concurrency: the review is claimed first, only while still open, and the merge commits with
		// the claim. Of two concurrent decisions one updates the row; the other finds it decided.
		const claimed = await tx
			.updateTable('merge_reviews')
			.set({ status, decided_at: at })
			.where('tenant_id', '=', tenantId)
			.where('id', '=', reviewId)
			.where('status', '=', 'open')
			.executeTakeFirst();
		const row = await tx
			.selectFrom('merge_reviews')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('id', '=', reviewId)
			.executeTakeFirst();
		if (!row) throw new NotFoundError(`review ${reviewId}`);
		if (Number(claimed.numUpdatedRows) !== 1)
			throw new ConflictError(`review ${reviewId} was already ${row.status}`);
		let mergeId: string | null = null;
		if (decision === 'approve') {
			const a = await rootOf(tx, tenantId, row.customer_a);
			const b = await rootOf(tx, tenantId, row.customer_b);
			if (a !== b) {
				const [survivorId, mergedId] = a < b ? [a, b] : [b, a];
				mergeId = await mergeCustomers(tx, {
					tenantId,
					survivorId,
					mergedId,
					rule: 'review-approved',
					evidence: { identifiers: [] },
					at,
				});
			}
		}
		// A review an "is this your order?" answer opened: the chat hears of an approval.
		const jobs = await settleOrderClaims(tx, tenantId, reviewId, decision, at);
		if (jobs.length > 0) await enqueueJobs(tx, tenantId, jobs, at);
		return { review: toReview(row), mergeId };
	});
}
