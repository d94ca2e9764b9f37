import type { Kysely } from 'kysely';

// "Is this your order?" (docs/identity.md, "An order number is a claim"): each order number a chat
// named, what came of it (no such order, offered, declined, waiting for a shared contact, under
// review, joined) — the per-chat throttle counts these rows, and a shared contact finds its claim.
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('order_claims')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('chat', 'text', (c) => c.notNull())
		.addColumn('account', 'text')
		.addColumn('number', 'text', (c) => c.notNull())
		.addColumn('order_ref', 'text')
		.addColumn('order_customer_id', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('review_id', 'text')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('order_claims_chat_ix')
		.on('order_claims')
		.columns(['tenant_id', 'chat', 'created_at'])
		.execute();
	// The shop-wide hourly cap counts by time.
	await db.schema
		.createIndex('order_claims_time_ix')
		.on('order_claims')
		.columns(['tenant_id', 'created_at'])
		.execute();
	await db.schema.createIndex('order_claims_review_ix').on('order_claims').columns(['review_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('order_claims').ifExists().execute();
}
