import type { Kysely } from 'kysely';

// Host installs (Bitrix24 portals), their per-portal locks, and records mirrored in the host (issue 5).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('host_portals')
		.addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
		.addColumn('host', 'text', (c) => c.notNull())
		.addColumn('external_id', 'text', (c) => c.notNull())
		.addColumn('domain', 'text', (c) => c.notNull())
		.addColumn('client_endpoint', 'text', (c) => c.notNull())
		.addColumn('server_endpoint', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('secrets', 'text', (c) => c.notNull())
		.addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addColumn('settings', 'text', (c) => c.notNull())
		.addColumn('installed_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('host_portals_external_uq', ['host', 'external_id'])
		.execute();

	await db.schema
		.createTable('host_locks')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('owner', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('host_records')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('local_key', 'text', (c) => c.notNull())
		.addColumn('remote_id', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('host_records_pk', ['tenant_id', 'kind', 'local_key'])
		.execute();
	await db.schema
		.createIndex('host_records_remote_ix')
		.on('host_records')
		.columns(['tenant_id', 'kind', 'remote_id'])
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['host_records', 'host_locks', 'host_portals']) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
