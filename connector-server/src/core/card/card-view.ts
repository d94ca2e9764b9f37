import type { Db } from '../../db/database.ts';
import { loyaltyNumberFor } from '../counter/loyalty.ts';
import { CARD_TOKEN_TTL_SECONDS, type CounterKeys, issueQrToken } from '../counter/qr-tokens.ts';
import { NotFoundError } from '../errors.ts';
import { rootOf } from '../identity/identity-graph.ts';

/** What the card page shows: the shop, the customer's first name (nothing more personal), the number. */
export interface CardView {
	shopName: string;
	firstName: string | null;
	loyaltyNumber: string;
}

/** "Анна Петрова" → "Анна": the page never shows more of a person than their first name. */
export function firstNameOf(name: string | null | undefined): string | null {
	const first = name?.trim().split(/\s+/)[0];
	return first ? first.slice(0, 40) : null;
}

/**
 * The card of a customer (merged customers resolve to their root). Creates the loyalty number on
 * first use, so it runs in a transaction. Throws NotFoundError for an unknown tenant or customer.
 */
export async function loadCardView(
	db: Db,
	tenantId: string,
	customerId: string,
	now: number,
): Promise<CardView> {
	return await db.transaction().execute(async (tx) => {
		const tenant = await tx
			.selectFrom('tenants')
			.select('name')
			.where('id', '=', tenantId)
			.executeTakeFirst();
		if (!tenant) throw new NotFoundError('tenant');
		const root = await rootOf(tx, tenantId, customerId);
		const customer = await tx
			.selectFrom('customers')
			.select('name')
			.where('tenant_id', '=', tenantId)
			.where('id', '=', root)
			.executeTakeFirst();
		const loyaltyNumber = await loyaltyNumberFor(tx, tenantId, root, now);
		return { shopName: tenant.name, firstName: firstNameOf(customer?.name), loyaltyNumber };
	});
}

/**
 * A fresh `card` QR token for the customer's root (lives 120 s; the page fetches a new one every
 * 30 s). Nothing is stored: the counter spends the token's jti when it scans it.
 */
export async function issueCardQr(
	db: Db,
	keys: CounterKeys,
	tenantId: string,
	customerId: string,
	now: number,
): Promise<{ token: string; expiresAt: number }> {
	const root = await rootOf(db, tenantId, customerId);
	const { token, expiresAt } = issueQrToken(
		keys,
		{ tenantId, customerId: root, kind: 'card', ttlSeconds: CARD_TOKEN_TTL_SECONDS },
		now,
	);
	return { token, expiresAt };
}
