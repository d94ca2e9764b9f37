import type { Kysely } from 'kysely';

// WooCommerce shops: one-time pairing codes, paired sites with their sealed shared secret, and
// the nonces of signed requests seen inside the replay window (issue 6).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('woocommerce_pairing_codes')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('code_hash', 'text', (c) => c.notNull().unique())
		.addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
		.addColumn('agency_id', 'text')
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addColumn('used_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('woocommerce_sites')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('site_url', 'text', (c) => c.notNull())
		.addColumn('callback_url', 'text')
		.addColumn('secret', 'text', (c) => c.notNull())
		.addColumn('plugin_version', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('last_event_at', 'bigint')
		.addColumn('verified_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('woocommerce_sites_tenant_ix')
		.on('woocommerce_sites')
		.column('tenant_id')
		.execute();

	await db.schema
		.createTable('woocommerce_nonces')
		.addColumn('site_id', 'text', (c) => c.notNull())
		.addColumn('nonce', 'text', (c) => c.notNull())
		.addColumn('seen_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('woocommerce_nonces_pk', ['site_id', 'nonce'])
		.execute();
	await db.schema
		.createIndex('woocommerce_nonces_seen_ix')
		.on('woocommerce_nonces')
		.column('seen_at')
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['woocommerce_nonces', 'woocommerce_sites', 'woocommerce_pairing_codes']) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
