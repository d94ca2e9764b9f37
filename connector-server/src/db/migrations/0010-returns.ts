import type { Kysely } from 'kysely';

// Journey 3, complaint → return by QR (docs/counter.md): the return's number and the chat it was
// asked in (answers go back there), who approved it; the chat dialog that picks an order and takes
// the reason; the tenant's ticket settings (task or deal, responsible, pipeline).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('returns').addColumn('number', 'text').execute();
	await db.schema.alterTable('returns').addColumn('channel', 'text').execute();
	await db.schema.alterTable('returns').addColumn('connection_id', 'text').execute();
	await db.schema.alterTable('returns').addColumn('chat_id', 'text').execute();
	await db.schema.alterTable('returns').addColumn('approved_by', 'text').execute();
	await db.schema
		.createIndex('returns_ticket_ix')
		.on('returns')
		.columns(['tenant_id', 'host', 'host_ticket_id'])
		.execute();
	await db.schema
		.createTable('return_dialogs')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('connection_id', 'text', (c) => c.notNull())
		.addColumn('chat_id', 'text', (c) => c.notNull())
		.addColumn('customer_id', 'text', (c) => c.notNull())
		// Nitka's order id once picked; null while the customer is choosing.
		.addColumn('order_id', 'text')
		// 'choose_order' | 'reason'
		.addColumn('step', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('return_dialogs_pk', ['tenant_id', 'channel', 'connection_id', 'chat_id'])
		.execute();
	await db.schema
		.createTable('return_settings')
		.addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
		.addColumn('settings', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('return_settings').ifExists().execute();
	await db.schema.dropTable('return_dialogs').ifExists().execute();
	await db.schema.dropIndex('returns_ticket_ix').ifExists().execute();
	for (const column of ['approved_by', 'chat_id', 'connection_id', 'channel', 'number']) {
		await db.schema.alterTable('returns').dropColumn(column).execute();
	}
}
