import type { Db } from '../../db/database.ts';

// Well-formed order numbers only. Ozon posting numbers; the long numeric ids of Wildberries and
// Yandex Market; shop order numbers when marked as such (#1234, №1234, "заказ 1234", "order 1234").
// A digit run after "+" is a phone (a shared contact's text is "<name> +7…"), never an order.
const POSTING = /(?<![\d+-])\d{6,}-\d{4}-\d{1,2}(?![\d-])/gu;
const LONG_ID = /(?<![\d+-])\d{7,12}(?![\d-])/gu;
const MARKED = /(?:#|№|(?<!\p{L})(?:заказ|order)\p{L}*)\s*(?:#|№)?\s*(\d{2,12})(?![\d-])/giu;
const MAX_CANDIDATES = 5;

/** The order numbers a text names, in order of appearance; nothing that only looks like one. */
export function orderNumberCandidates(text: string): string[] {
	const found = new Set<string>();
	for (const pattern of [POSTING, LONG_ID, MARKED])
		for (const match of text.matchAll(pattern)) found.add(match[1] ?? match[0]);
	return [...found].slice(0, MAX_CANDIDATES);
}

export interface MentionedOrder {
	/** What a link token records: an `orders` row id, or `woocommerce:<order id>`. */
	ref: string;
	number: string;
	customerId: string;
}

/**
 * The one order a text names, by exact number: marketplace orders from the orders table, shop
 * orders from their `order.created` events. Two orders with a named number (or two numbers naming
 * different orders) are a guess, and a guess links nothing: null.
 */
export async function findMentionedOrder(
	tx: Db,
	tenantId: string,
	candidates: string[],
): Promise<MentionedOrder | null> {
	if (candidates.length === 0) return null;
	const found = new Map<string, MentionedOrder>();
	const rows = await tx
		.selectFrom('orders')
		.select(['id', 'number', 'customer_id'])
		.where('tenant_id', '=', tenantId)
		.where('number', 'in', candidates)
		.execute();
	for (const row of rows) found.set(row.id, { ref: row.id, number: row.number, customerId: row.customer_id });
	for (const number of candidates) {
		// WooCommerce orders live as events; the LIKE narrows, the parsed JSON decides exactly.
		const events = await tx
			.selectFrom('events')
			.select(['customer_id', 'data'])
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'order.created')
			.where('data', 'like', `%"number":"${number}"%`)
			.execute();
		for (const event of events) {
			const data = JSON.parse(event.data) as { source?: string; orderId?: string; number?: string };
			if (data.source !== 'woocommerce' || data.number !== number || !data.orderId) continue;
			const ref = `woocommerce:${data.orderId}`;
			found.set(ref, { ref, number, customerId: event.customer_id });
		}
		if (found.size > 1) return null;
	}
	return found.size === 1 ? ([...found.values()][0] ?? null) : null;
}
