import type { Kysely } from 'kysely';

// The counter (issue 8, docs/counter.md): locations, counter devices and their keys, spent QR
// tokens, idempotent counter actions, and the three journeys' tables (promo codes, pickups,
// returns). Journeys add their own columns in later migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('locations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('address', 'text')
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('locations_tenant_ix')
		.on('locations')
		.columns(['tenant_id', 'active'])
		.execute();

	await db.schema
		.createTable('counter_devices')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		// SHA-256 of the device key; the key itself is shown once.
		.addColumn('key_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('last_seen_at', 'bigint')
		.addColumn('revoked_at', 'bigint')
		.addUniqueConstraint('counter_devices_key_uq', ['key_hash'])
		.execute();
	await db.schema
		.createIndex('counter_devices_location_ix')
		.on('counter_devices')
		.columns(['tenant_id', 'location_id'])
		.execute();

	await db.schema
		.createTable('counter_token_uses')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('jti', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('device_id', 'text')
		.addColumn('used_at', 'bigint', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('counter_token_uses_pk', ['tenant_id', 'jti'])
		.execute();
	await db.schema
		.createIndex('counter_token_uses_expiry_ix')
		.on('counter_token_uses')
		.columns(['expires_at'])
		.execute();

	await db.schema
		.createTable('counter_actions')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('device_id', 'text', (c) => c.notNull())
		// The client's Idempotency-Key.
		.addColumn('action_id', 'text', (c) => c.notNull())
		.addColumn('request_hash', 'text', (c) => c.notNull())
		// The HTTP status of the stored response.
		.addColumn('status', 'integer', (c) => c.notNull())
		.addColumn('response', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('counter_actions_pk', ['tenant_id', 'device_id', 'action_id'])
		.execute();
	await db.schema
		.createIndex('counter_actions_created_ix')
		.on('counter_actions')
		.columns(['created_at'])
		.execute();

	await db.schema
		.createTable('promo_campaigns')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('offer', 'text')
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
		.addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('starts_at', 'bigint')
		.addColumn('expires_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('promo_campaigns_tenant_ix')
		.on('promo_campaigns')
		.columns(['tenant_id', 'status'])
		.execute();

	await db.schema
		.createTable('promo_codes')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('campaign_id', 'text', (c) => c.references('promo_campaigns.id').onDelete('cascade'))
		.addColumn('customer_id', 'text')
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('issued_at', 'bigint', (c) => c.notNull())
		.addColumn('expires_at', 'bigint')
		.addColumn('redeemed_at', 'bigint')
		.addColumn('redeemed_location_id', 'text')
		.addColumn('redeemed_device_id', 'text')
		.addUniqueConstraint('promo_codes_code_uq', ['tenant_id', 'code'])
		.execute();
	await db.schema
		.createIndex('promo_codes_customer_ix')
		.on('promo_codes')
		.columns(['tenant_id', 'customer_id'])
		.execute();
	await db.schema
		.createIndex('promo_codes_campaign_ix')
		.on('promo_codes')
		.columns(['tenant_id', 'campaign_id'])
		.execute();

	await db.schema
		.createTable('order_pickups')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		// orders.id
		.addColumn('order_id', 'text', (c) => c.notNull())
		.addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addColumn('ready_at', 'bigint')
		.addColumn('collected_at', 'bigint')
		.addColumn('cancelled_at', 'bigint')
		.addColumn('collected_device_id', 'text')
		.addPrimaryKeyConstraint('order_pickups_pk', ['tenant_id', 'order_id'])
		.execute();
	await db.schema
		.createIndex('order_pickups_location_ix')
		.on('order_pickups')
		.columns(['tenant_id', 'location_id', 'state'])
		.execute();
	await db.schema
		.createIndex('order_pickups_customer_ix')
		.on('order_pickups')
		.columns(['tenant_id', 'customer_id'])
		.execute();

	await db.schema
		.createTable('returns')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('order_id', 'text')
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('reason', 'text')
		// JSON array of OrderItem.
		.addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('total', 'text')
		.addColumn('currency', 'text')
		// The host ticket: which host, and its task / deal / order id there.
		.addColumn('host', 'text')
		.addColumn('host_ticket_id', 'text')
		.addColumn('host_ticket_url', 'text')
		// The return QR lives until this deadline.
		.addColumn('deadline_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addColumn('approved_at', 'bigint')
		.addColumn('received_at', 'bigint')
		.addColumn('received_location_id', 'text')
		.execute();
	await db.schema
		.createIndex('returns_customer_ix')
		.on('returns')
		.columns(['tenant_id', 'customer_id', 'state'])
		.execute();
	await db.schema.createIndex('returns_order_ix').on('returns').columns(['tenant_id', 'order_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of [
		'returns',
		'order_pickups',
		'promo_codes',
		'promo_campaigns',
		'counter_actions',
		'counter_token_uses',
		'counter_devices',
		'locations',
	]) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
