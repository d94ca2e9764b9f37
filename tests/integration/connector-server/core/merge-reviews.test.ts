import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { decideReview } from '../../../../connector-server/src/core/customers/merge-service.ts';
import { ConflictError, NotFoundError } from '../../../../connector-server/src/core/errors.ts';
import { createCustomer, rootOf } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

async function openReview(db: Db, tenantId: string) {
	const a = await createCustomer(db, tenantId, T0);
	const b = await createCustomer(db, tenantId, T0 + 1);
	const id = newId(T0 + 2);
	await db
		.insertInto('merge_reviews')
		.values({
			id,
			tenant_id: tenantId,
			customer_a: a,
			customer_b: b,
			reason: 'same telegram',
			evidence: JSON.stringify({ identifiers: [] }),
			status: 'open',
			created_at: T0 + 2,
			decided_at: null,
		})
		.execute();
	return { id, a, b };
}

describe.each(dialects)('merge review decisions on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('a concurrent approve and reject: exactly one wins, and the merge happens only if approve did', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		for (let round = 0; round < 5; round++) {
			const review = await openReview(db, tenant.id);
			const results = await Promise.allSettled([
				decideReview(db, tenant.id, review.id, 'approve', T0 + 10),
				decideReview(db, tenant.id, review.id, 'reject', T0 + 10),
			]);
			const won = results.filter((r) => r.status === 'fulfilled');
			const lost = results.filter((r) => r.status === 'rejected');
			expect(won).toHaveLength(1);
			expect(lost).toHaveLength(1);
			expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
			const stored = await db
				.selectFrom('merge_reviews')
				.select('status')
				.where('id', '=', review.id)
				.executeTakeFirstOrThrow();
			const approved = results[0].status === 'fulfilled';
			expect(stored.status).toBe(approved ? 'approved' : 'rejected');
			const merged = (await rootOf(db, tenant.id, review.a)) === (await rootOf(db, tenant.id, review.b));
			expect(merged).toBe(approved);
		}
	});

	it('refuses a second decision and a review of another tenant', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const other = await makeTenant(db);
		const review = await openReview(db, tenant.id);
		await expect(decideReview(db, other.id, review.id, 'reject', T0 + 10)).rejects.toBeInstanceOf(
			NotFoundError,
		);
		const first = await decideReview(db, tenant.id, review.id, 'reject', T0 + 10);
		expect(first.review.status).toBe('rejected');
		expect(first.mergeId).toBeNull();
		await expect(decideReview(db, tenant.id, review.id, 'approve', T0 + 11)).rejects.toBeInstanceOf(
			ConflictError,
		);
	});
});
