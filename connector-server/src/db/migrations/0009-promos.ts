import type { Kysely } from 'kysely';

// Journey 2, VK promo (docs/counter.md): one code per customer per campaign, where each code came
// from (the segment, a request in the chat, a thank-you), when a redeemed code's thank-you is due,
// and when a campaign was last issued.
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('promo_codes').addColumn('source', 'text').execute();
	await db.schema.alterTable('promo_codes').addColumn('thank_you_at', 'bigint').execute();
	await db.schema
		.createIndex('promo_codes_thank_you_ix')
		.on('promo_codes')
		.columns(['thank_you_at'])
		.execute();
	await db.schema.alterTable('promo_campaigns').addColumn('issued_at', 'bigint').execute();
	// Issuing twice (or a request racing the issue) can never give one customer two codes.
	await db.schema
		.createIndex('promo_codes_campaign_customer_uq')
		.on('promo_codes')
		.columns(['tenant_id', 'campaign_id', 'customer_id'])
		.unique()
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('promo_codes_campaign_customer_uq').ifExists().execute();
	await db.schema.dropIndex('promo_codes_thank_you_ix').ifExists().execute();
	await db.schema.alterTable('promo_codes').dropColumn('thank_you_at').execute();
	await db.schema.alterTable('promo_campaigns').dropColumn('issued_at').execute();
	await db.schema.alterTable('promo_codes').dropColumn('source').execute();
}
