import { type Kysely, sql } from 'kysely';

// What a pickup order holds, on the pickup itself (docs/counter.md, "Screen needs"): the counter
// shows staff the items and the total they hand over without reading the order's timeline. New
// pickups get the host order's items; pickups made before this migration get their chat order's
// cart (every pickup so far came from a chat order).
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.alterTable('order_pickups')
		.addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
		.execute();
	await db.schema.alterTable('order_pickups').addColumn('total', 'text').execute();
	await db.schema.alterTable('order_pickups').addColumn('currency', 'text').execute();

	const carts = await sql<{ tenant_id: string; order_id: string; items: string }>`
		select p.tenant_id, p.order_id, c.items
		from order_pickups p
		join chat_orders c on c.tenant_id = p.tenant_id and c.order_id = p.order_id`.execute(db);
	for (const row of carts.rows) {
		const contents = cartContents(row.items);
		if (!contents) continue;
		await sql`
			update order_pickups set items = ${contents.items}, total = ${contents.total}, currency = ${contents.currency}
			where tenant_id = ${row.tenant_id} and order_id = ${row.order_id}`.execute(db);
	}
}

/** A chat order's cart (`[{ id, name, price, currency, quantity }]`) as order items and a total. */
function cartContents(raw: string): { items: string; total: string; currency: string } | null {
	let cart: unknown;
	try {
		cart = JSON.parse(raw);
	} catch {
		return null;
	}
	if (!Array.isArray(cart) || cart.length === 0) return null;
	const items: { sku: string; name: string; quantity: number; price: string }[] = [];
	let cents = 0;
	let currency = 'RUB';
	for (const entry of cart) {
		const item = entry as Record<string, unknown>;
		const quantity = Number(item.quantity);
		const price = String(item.price ?? '');
		if (typeof item.name !== 'string' || !/^\d+(\.\d{1,2})?$/.test(price) || !(quantity > 0)) return null;
		items.push({ sku: String(item.id ?? ''), name: item.name, quantity, price });
		cents += Math.round(Number(price) * 100) * quantity;
		if (typeof item.currency === 'string') currency = item.currency;
	}
	return { items: JSON.stringify(items), total: (cents / 100).toFixed(2), currency };
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('order_pickups').dropColumn('currency').execute();
	await db.schema.alterTable('order_pickups').dropColumn('total').execute();
	await db.schema.alterTable('order_pickups').dropColumn('items').execute();
}
