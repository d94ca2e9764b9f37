import { OrderSourceSchema } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { randomToken, sha256Hex } from '../../security/tokens.ts';
import { newId } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { rootOf } from '../identity/identity-graph.ts';

export interface IssuedLinkToken {
	token: string;
	customerId: string;
	expiresAt: number;
}

/**
 * Issues a single-use deep-link token. 24 random bytes in base64url are 32 chars of
 * [A-Za-z0-9_-], inside Telegram's 64-char start payload, a VK ref and MAX's 128 chars. The token
 * is opaque (no ids or personal data in it) and only its SHA-256 is stored.
 */
export async function issueLinkToken(
	db: Db,
	input: {
		tenantId: string;
		customerId?: string;
		orderId?: string;
		ttlSeconds: number;
		/** Bind to `customerId` itself (an order's own customer), not to the root it may be merged into. */
		exact?: boolean;
	},
	at: number,
): Promise<IssuedLinkToken> {
	let customerId: string;
	if (input.customerId) {
		const root = await rootOf(db, input.tenantId, input.customerId);
		customerId = input.exact ? input.customerId : root;
	} else customerId = await customerOfOrder(db, input.tenantId, input.orderId ?? '');
	const token = randomToken(24);
	const expiresAt = at + input.ttlSeconds * 1000;
	await db
		.insertInto('link_tokens')
		.values({
			id: newId(at),
			tenant_id: input.tenantId,
			token_hash: sha256Hex(token),
			customer_id: customerId,
			order_id: input.orderId ?? null,
			expires_at: expiresAt,
			used_at: null,
			used_by: null,
			created_at: at,
		})
		.execute();
	return { token, customerId, expiresAt };
}

/**
 * The customer of an order named by its source order id (the source is not given): the order's
 * own customer, which a deep link joins (with whatever firm merges hold it). Orders observed
 * through core/orders (marketplaces, chat) are rows keyed by (tenant, source, external id);
 * WooCommerce orders live only as their order.created event, found by its source key. Both are
 * indexed look-ups; the newest match wins, as an event scan would pick it.
 */
async function customerOfOrder(db: Db, tenantId: string, orderId: string): Promise<string> {
	const [row, event] = await Promise.all([
		db
			.selectFrom('orders')
			.select(['customer_id', 'created_at'])
			.where('tenant_id', '=', tenantId)
			.where('source', 'in', OrderSourceSchema.options)
			.where('external_id', '=', orderId)
			.orderBy('created_at', 'desc')
			.executeTakeFirst(),
		db
			.selectFrom('events')
			.select(['customer_id', 'occurred_at'])
			.where('tenant_id', '=', tenantId)
			// The key hosts/woocommerce/parser.ts gives an order's created event.
			.where('source_key', '=', `woocommerce:order:${orderId}:created`)
			.executeTakeFirst(),
	]);
	const hit =
		row && (!event || Number(row.created_at) >= Number(event.occurred_at))
			? row.customer_id
			: event?.customer_id;
	if (!hit) throw new NotFoundError(`order ${orderId}`);
	return hit;
}

/**
 * Spends a token inside the caller's transaction: at most once, only before it expires.
 * Returns the customer it was bound to, or null (unknown, used or expired — indistinguishable to callers).
 */
export async function consumeLinkToken(
	tx: Db,
	tenantId: string,
	token: string,
	usedBy: string,
	at: number,
): Promise<{ customerId: string; orderId: string | null } | null> {
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
	const hash = sha256Hex(token);
	const updated = await tx
		.updateTable('link_tokens')
		.set({ used_at: at, used_by: usedBy })
		.where('tenant_id', '=', tenantId)
		.where('token_hash', '=', hash)
		.where('used_at', 'is', null)
		.where('expires_at', '>', at)
		.executeTakeFirst();
	if (Number(updated.numUpdatedRows) !== 1) return null;
	const row = await tx
		.selectFrom('link_tokens')
		.select(['customer_id', 'order_id'])
		.where('tenant_id', '=', tenantId)
		.where('token_hash', '=', hash)
		.executeTakeFirstOrThrow();
	return { customerId: row.customer_id, orderId: row.order_id };
}
