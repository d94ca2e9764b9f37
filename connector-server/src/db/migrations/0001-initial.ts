import type { Kysely } from 'kysely';

// One migration set for both dialects: only types both understand (text, bigint, integer).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('agencies')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('tenants')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('agency_id', 'text', (c) => c.references('agencies.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('external_id', 'text', (c) => c.notNull())
		.addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('tenants_kind_external_uq', ['kind', 'external_id'])
		.execute();

	await db.schema
		.createTable('api_keys')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
		.addColumn('agency_id', 'text', (c) => c.references('agencies.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('last_used_at', 'bigint')
		.addColumn('revoked_at', 'bigint')
		.execute();

	await db.schema
		.createTable('connections')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('credentials', 'text', (c) => c.notNull())
		.addColumn('webhook_secret', 'text')
		.addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('connections_tenant_ix')
		.on('connections')
		.columns(['tenant_id', 'channel'])
		.execute();

	await db.schema
		.createTable('customers')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('parent_id', 'text')
		.addColumn('root_id', 'text', (c) => c.notNull())
		.addColumn('name', 'text')
		.addColumn('name_rank', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('name_at', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('customers_root_ix')
		.on('customers')
		.columns(['tenant_id', 'root_id'])
		.execute();
	await db.schema
		.createIndex('customers_parent_ix')
		.on('customers')
		.columns(['tenant_id', 'parent_id'])
		.execute();

	await db.schema
		.createTable('identities')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('identities_value_uq', ['tenant_id', 'type', 'value'])
		.execute();
	await db.schema
		.createIndex('identities_customer_ix')
		.on('identities')
		.columns(['tenant_id', 'customer_id'])
		.execute();

	await db.schema
		.createTable('events')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('occurred_at', 'bigint', (c) => c.notNull())
		.addColumn('recorded_at', 'bigint', (c) => c.notNull())
		.addColumn('source_key', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addUniqueConstraint('events_source_uq', ['tenant_id', 'source_key'])
		.execute();
	await db.schema
		.createIndex('events_timeline_ix')
		.on('events')
		.columns(['tenant_id', 'customer_id', 'occurred_at', 'id'])
		.execute();

	await db.schema
		.createTable('merges')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('survivor_id', 'text', (c) => c.notNull())
		.addColumn('merged_id', 'text', (c) => c.notNull())
		.addColumn('rule', 'text', (c) => c.notNull())
		.addColumn('evidence', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('undone_at', 'bigint')
		.execute();
	await db.schema.createIndex('merges_tenant_ix').on('merges').columns(['tenant_id', 'merged_id']).execute();

	await db.schema
		.createTable('merge_reviews')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_a', 'text', (c) => c.notNull())
		.addColumn('customer_b', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('evidence', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('decided_at', 'bigint')
		.execute();
	await db.schema
		.createIndex('merge_reviews_ix')
		.on('merge_reviews')
		.columns(['tenant_id', 'status'])
		.execute();

	await db.schema
		.createTable('consents')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
		.addColumn('purpose', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('consents_pk', ['tenant_id', 'customer_id', 'purpose'])
		.execute();

	await db.schema
		.createTable('inbox')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('connection_id', 'text')
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('source_key', 'text', (c) => c.notNull())
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('error', 'text')
		.addColumn('processed_at', 'bigint')
		.addUniqueConstraint('inbox_source_uq', ['tenant_id', 'source_key'])
		.execute();
	await db.schema.createIndex('inbox_pending_ix').on('inbox').columns(['status', 'id']).execute();

	await db.schema
		.createTable('outbox')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('target', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('dedupe_key', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('max_attempts', 'integer', (c) => c.notNull())
		.addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('outbox_dedupe_uq', ['tenant_id', 'dedupe_key'])
		.execute();
	await db.schema
		.createIndex('outbox_due_ix')
		.on('outbox')
		.columns(['status', 'tenant_id', 'next_attempt_at'])
		.execute();

	await db.schema
		.createTable('tenant_leases')
		.addColumn('tenant_id', 'text', (c) => c.primaryKey())
		.addColumn('owner', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of [
		'tenant_leases',
		'outbox',
		'inbox',
		'consents',
		'merge_reviews',
		'merges',
		'events',
		'identities',
		'customers',
		'connections',
		'api_keys',
		'tenants',
		'agencies',
	]) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
