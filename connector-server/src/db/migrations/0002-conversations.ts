import type { Kysely } from 'kysely';

// Conversations, the chats replies are routed to, deep-link tokens and pollers' cursors (issue 4).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('conversations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('assignee', 'text')
		.addColumn('opened_at', 'bigint', (c) => c.notNull())
		.addColumn('first_response_at', 'bigint')
		.addColumn('resolved_at', 'bigint')
		.addColumn('last_inbound_at', 'bigint')
		.addColumn('last_channel', 'text')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('conversations_customer_uq', ['tenant_id', 'customer_id'])
		.execute();
	await db.schema
		.createIndex('conversations_status_ix')
		.on('conversations')
		.columns(['tenant_id', 'status', 'updated_at'])
		.execute();

	await db.schema
		.createTable('conversation_chats')
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('connection_id', 'text', (c) => c.notNull())
		.addColumn('chat_id', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('reachable', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('last_inbound_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('conversation_chats_pk', ['tenant_id', 'connection_id', 'chat_id'])
		.execute();
	await db.schema
		.createIndex('conversation_chats_customer_ix')
		.on('conversation_chats')
		.columns(['tenant_id', 'customer_id'])
		.execute();

	await db.schema
		.createTable('link_tokens')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('order_id', 'text')
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addColumn('used_at', 'bigint')
		.addColumn('used_by', 'text')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('channel_cursors')
		.addColumn('connection_id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('cursor', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['channel_cursors', 'link_tokens', 'conversation_chats', 'conversations']) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
