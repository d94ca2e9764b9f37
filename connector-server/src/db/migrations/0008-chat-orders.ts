import type { Kysely } from 'kysely';

// Journey 1 (docs/counter.md): the ordering conversation of a chat, from the first catalog page to
// the order in the host. One row per chat order; a chat has at most one open (draft) row.
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('chat_orders')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
		.addColumn('customer_id', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('connection_id', 'text', (c) => c.notNull())
		.addColumn('chat_id', 'text', (c) => c.notNull())
		// browsing | quantity | location | confirm | placing | placed | failed | cancelled
		.addColumn('state', 'text', (c) => c.notNull())
		// JSON: the products of the last catalog page shown (what "1", "2"… buttons mean).
		.addColumn('shown', 'text', (c) => c.notNull().defaultTo('[]'))
		// JSON: the product waiting for its quantity.
		.addColumn('pending', 'text')
		// JSON: [{ productId, name, price, currency, url, quantity }].
		.addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('location_id', 'text')
		// The host that took it (`bitrix24`…), its order, and Nitka's orders.id.
		.addColumn('host', 'text')
		.addColumn('order_id', 'text')
		.addColumn('number', 'text')
		.addColumn('error', 'text')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addColumn('placed_at', 'bigint')
		.execute();
	// One open order per chat: a draft is found by its chat.
	await db.schema
		.createIndex('chat_orders_chat_ix')
		.on('chat_orders')
		.columns(['tenant_id', 'connection_id', 'chat_id', 'state'])
		.execute();
	await db.schema
		.createIndex('chat_orders_order_ix')
		.on('chat_orders')
		.columns(['tenant_id', 'order_id'])
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('chat_orders').ifExists().execute();
}
