import type { Order, OrderSource, OrderStatus } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { rootOf } from '../identity/identity-graph.ts';

export type OrderRow = {
	id: string;
	tenant_id: string;
	source: string;
	external_id: string;
	connection_id: string | null;
	number: string;
	status: string;
	raw_status: string;
	status_at: number;
	customer_id: string;
	buyer_known: number;
	created_at: number;
	updated_at: number;
};

export async function findOrder(
	db: Db,
	tenantId: string,
	source: string,
	externalId: string,
): Promise<OrderRow | undefined> {
	return await db
		.selectFrom('orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('source', '=', source)
		.where('external_id', '=', externalId)
		.executeTakeFirst();
}

/** The orders of these ids, by external id: one query (a chunk of a page is at most 500). */
export async function findOrders(
	db: Db,
	tenantId: string,
	source: string,
	externalIds: readonly string[],
): Promise<Map<string, OrderRow>> {
	if (externalIds.length === 0) return new Map();
	const rows = await db
		.selectFrom('orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('source', '=', source)
		.where('external_id', 'in', [...externalIds])
		.execute();
	return new Map(rows.map((row) => [row.external_id, row]));
}

export async function insertOrder(db: Db, row: OrderRow): Promise<void> {
	await insertOrders(db, [row]);
}

/** Inserts orders, 500 rows a statement. */
export async function insertOrders(db: Db, rows: readonly OrderRow[]): Promise<void> {
	for (let i = 0; i < rows.length; i += 500) {
		await db
			.insertInto('orders')
			.values(rows.slice(i, i + 500))
			.execute();
	}
}

/** The independent customer each of these customers belongs to, by customer id: one query. */
export async function rootsOf(
	db: Db,
	tenantId: string,
	customerIds: readonly string[],
): Promise<Map<string, string>> {
	if (customerIds.length === 0) return new Map();
	const rows = await db
		.selectFrom('customers')
		.select(['id', 'root_id'])
		.where('tenant_id', '=', tenantId)
		.where('id', 'in', [...new Set(customerIds)])
		.execute();
	return new Map(rows.map((row) => [row.id, row.root_id]));
}

export async function updateOrder(
	db: Db,
	tenantId: string,
	id: string,
	patch: Partial<Pick<OrderRow, 'status' | 'raw_status' | 'status_at' | 'buyer_known' | 'updated_at'>>,
): Promise<void> {
	await db.updateTable('orders').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** The order as the API shows it; its customer is the independent root it now belongs to. */
export async function toOrder(db: Db, row: OrderRow): Promise<Order> {
	return {
		id: row.id,
		source: row.source as OrderSource,
		connectionId: row.connection_id,
		externalId: row.external_id,
		number: row.number,
		status: row.status as OrderStatus,
		rawStatus: row.raw_status,
		customerId: await rootOf(db, row.tenant_id, row.customer_id),
		buyerKnown: row.buyer_known === 1,
		createdAt: toIso(Number(row.created_at)),
		statusAt: toIso(Number(row.status_at)),
	};
}

export async function getOrder(db: Db, tenantId: string, id: string): Promise<OrderRow> {
	const row = await db
		.selectFrom('orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`order ${id}`);
	return row;
}

export interface OrderQuery {
	source?: string | undefined;
	number?: string | undefined;
	connectionId?: string | undefined;
	limit: number;
	/** An order id: the page starts after it (newest first). */
	before?: string | undefined;
}

/** Newest first; keyset-paged by id. */
export async function listOrders(db: Db, tenantId: string, query: OrderQuery) {
	let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId);
	if (query.source) q = q.where('source', '=', query.source);
	if (query.number) q = q.where('number', '=', query.number);
	if (query.connectionId) q = q.where('connection_id', '=', query.connectionId);
	if (query.before) q = q.where('id', '<', query.before);
	const rows = await q
		.orderBy('id', 'desc')
		.limit(query.limit + 1)
		.execute();
	const items = await Promise.all(rows.slice(0, query.limit).map((row) => toOrder(db, row)));
	return { items, next: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}
