import type { IdentifierInput } from '@nitka/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualMerge, unmerge } from '../../../../connector-server/src/core/customers/merge-service.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { graphViolations, ingestMessage, snapshotGraph } from './graph-helpers.ts';

// A small pool so random events collide often: that is where merges, reviews and conflicts happen.
const pool: IdentifierInput[] = [
	{ type: 'telegram', value: '1001' },
	{ type: 'telegram', value: '1002' },
	{ type: 'vk', value: '2001' },
	{ type: 'vk', value: '2002' },
	{ type: 'phone', value: '+79161110001' },
	{ type: 'phone', value: '8 916 111-00-02' },
	{ type: 'email', value: 'one@mail.ru' },
	{ type: 'loyalty_card', value: 'C-77' },
];

type Op =
	| { kind: 'event'; identifiers: number[] }
	| { kind: 'merge'; a: number; b: number }
	| { kind: 'unmerge'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 5,
		arbitrary: fc.record({
			kind: fc.constant('event' as const),
			identifiers: fc.uniqueArray(fc.nat(pool.length - 1), { minLength: 1, maxLength: 3 }),
		}),
	},
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('merge' as const), a: fc.nat(50), b: fc.nat(50) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('unmerge' as const), pick: fc.nat(50) }) },
);

const T0 = Date.parse('2026-11-23T10:00:00Z');

describe.each(dialects)('identity graph properties on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	async function roots(tenantId: string): Promise<string[]> {
		const rows = await database.db
			.selectFrom('customers')
			.select('id')
			.where('tenant_id', '=', tenantId)
			.where('parent_id', 'is', null)
			.orderBy('id')
			.execute();
		return rows.map((r) => r.id);
	}

	async function run(tenantId: string, ops: Op[]): Promise<void> {
		let at = T0;
		for (const op of ops) {
			at += 1000;
			if (op.kind === 'event') {
				await ingestMessage(
					database.db,
					tenantId,
					op.identifiers.map((i) => pool[i]!),
					at,
				);
			} else if (op.kind === 'merge') {
				const list = await roots(tenantId);
				if (list.length < 2) continue;
				const a = list[op.a % list.length]!;
				const b = list[op.b % list.length]!;
				if (a !== b) await manualMerge(database.db, tenantId, a, b, at);
			} else {
				const open = await database.db
					.selectFrom('merges')
					.select('id')
					.where('tenant_id', '=', tenantId)
					.where('undone_at', 'is', null)
					.orderBy('id')
					.execute();
				// Only the merges whose merged side still hangs directly under its survivor can be undone.
				for (let k = 0; k < open.length; k++) {
					const candidate = open[(op.pick + k) % open.length]!;
					try {
						await unmerge(database.db, tenantId, candidate.id, at);
						break;
					} catch {
						// not undoable now (its customer was re-parented by a later unmerge); try another
					}
				}
			}
		}
	}

	const runs = dialect === 'sqlite' ? 60 : 20;

	it('any sequence of links, merges and unmerges keeps one identifier → one customer', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
				const tenant = await makeTenant(database.db);
				await run(tenant.id, ops);
				expect(await graphViolations(database.db, tenant.id)).toEqual([]);
			}),
			{ numRuns: runs },
		);
	});

	it('merge then unmerge restores the graph and both timelines exactly', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(opArb, { minLength: 2, maxLength: 12 }),
				fc.nat(50),
				fc.nat(50),
				async (ops, x, y) => {
					const tenant = await makeTenant(database.db);
					await run(tenant.id, ops);
					const list = await roots(tenant.id);
					fc.pre(list.length >= 2);
					const a = list[x % list.length]!;
					const b = list[y % list.length]!;
					fc.pre(a !== b);
					const before = await snapshotGraph(database.db, tenant.id);
					const mergeId = await manualMerge(database.db, tenant.id, a, b, T0 + 10_000_000);
					const during = await snapshotGraph(database.db, tenant.id);
					expect(Object.keys(during.roots)).toHaveLength(Object.keys(before.roots).length - 1);
					expect(during.roots[a]!.events.sort()).toEqual(
						[...before.roots[a]!.events, ...before.roots[b]!.events].sort(),
					);
					await unmerge(database.db, tenant.id, mergeId, T0 + 10_000_001);
					expect(await snapshotGraph(database.db, tenant.id)).toEqual(before);
					expect(await graphViolations(database.db, tenant.id)).toEqual([]);
				},
			),
			{ numRuns: runs },
		);
	});
});
