import type { Kysely } from 'kysely';

// Marketplace orders, the durable inbox of polled pages and pushes, and each connection's sync state (issue 7).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('orders')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('external_id', 'text', (c) => c.notNull())
		.addColumn('connection_id', 'text')
		.addColumn('number', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('raw_status', 'text', (c) => c.notNull())
		.addColumn('status_at', 'bigint', (c) => c.notNull())
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('buyer_known', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('orders_source_uq', ['tenant_id', 'source', 'external_id'])
		.execute();
	await db.schema
		.createIndex('orders_customer_ix')
		.on('orders')
		.columns(['tenant_id', 'customer_id'])
		.execute();
	await db.schema.createIndex('orders_number_ix').on('orders').columns(['tenant_id', 'number']).execute();

	await db.schema
		.createTable('marketplace_inbox')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('connection_id', 'text', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('source_key', 'text', (c) => c.notNull())
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('error', 'text')
		.addColumn('processed_at', 'bigint')
		.addUniqueConstraint('marketplace_inbox_key_uq', ['tenant_id', 'source_key'])
		.execute();
	await db.schema
		.createIndex('marketplace_inbox_pending_ix')
		.on('marketplace_inbox')
		.columns(['status', 'id'])
		.execute();

	await db.schema
		.createTable('marketplace_sync')
		.addColumn('connection_id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['marketplace_sync', 'marketplace_inbox', 'orders']) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
