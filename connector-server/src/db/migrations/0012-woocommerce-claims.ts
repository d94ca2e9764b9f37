import { type Kysely, sql } from 'kysely';

/**
 * WooCommerce billing email and phone are claims (docs/identity.md, "Trust"), but identities stored
 * before trust levels existed kept `verified = 0` — asserted, as if a trusted source had vouched for
 * them. They become claims (-1), as the WooCommerce parser stores them today (`claims: true`).
 *
 * Which rows: email and phone still at 0 that WooCommerce brought. An identity's `source` is the
 * channel of its batch's first event: `woocommerce` for orders, carts and registrations; `nitka`
 * for a profile update, the only batch that carries no event, and it always carries the signed-in
 * customer's `woocommerce_customer` id, stored in the same tree. Untouched: verified rows (a
 * WooCommerce customer id, a phone a messenger proved), other types, and other sources (Bitrix24
 * contacts are `host`, marketplace buyers their marketplace, the counter and messengers theirs).
 */
const wooClaims = (from: number, to: number) => sql`
	UPDATE identities SET verified = ${to}
	WHERE verified = ${from}
		AND type IN ('email', 'phone')
		AND (
			source = 'woocommerce'
			OR (
				source = 'nitka'
				AND EXISTS (
					SELECT 1
					FROM customers holder
					JOIN customers member ON member.tenant_id = holder.tenant_id AND member.root_id = holder.root_id
					JOIN identities account ON account.customer_id = member.id
					WHERE holder.id = identities.customer_id
						AND account.tenant_id = identities.tenant_id
						AND account.type = 'woocommerce_customer'
				)
			)
		)`;

export async function up(db: Kysely<unknown>): Promise<void> {
	await wooClaims(0, -1).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await wooClaims(-1, 0).execute(db);
}
