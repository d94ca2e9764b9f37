import type { Kysely } from 'kysely';

// Each delivery claims its job first (fencing): two processes that both believe they hold a
// tenant's lease can never deliver the same job twice.
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
	await db.schema.alterTable('outbox').addColumn('claimed_until', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('outbox').dropColumn('claimed_until').execute();
	await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
}
