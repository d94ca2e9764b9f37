import type { Config } from '../../../connector-server/src/config/config.ts';
import { openDatabase } from '../../../connector-server/src/db/database.ts';
import { type MarketplaceId, MarketplaceIdSchema } from '../marketplaces/registry.ts';
import type { PlatformContinuity } from '../platforms/start-platforms.ts';

const MAX_MID = /:message:mid\.(\d+)$/;

/**
 * Reconciles the stored data with emulators that have just started empty, before the connector
 * starts its pollers: platform cursors (Telegram offset, VK ts, MAX marker) of an earlier run point
 * past histories that no longer exist, so they are forgotten; the Bitrix24 portal's contacts and
 * records are gone, so the links to them are dropped (Nitka creates the contacts again when the
 * customers write); and the ids an earlier run saw (MAX messages, marketplace orders) are handed
 * on, so this run's are not taken for redeliveries.
 *
 * Touches only the demo's own data dir, and only what a real platform would never forget.
 */
export async function reconcileWithFreshPlatforms(database: Config['database']): Promise<{
	platforms: PlatformContinuity;
	/** External ids of the marketplace orders the connector holds, per marketplace. */
	orders: Partial<Record<MarketplaceId, string[]>>;
}> {
	const { db, close } = await openDatabase(database);
	try {
		const last = await db
			.selectFrom('inbox')
			.select('source_key')
			.where('source_key', 'like', 'max:%:message:mid.%')
			.orderBy('source_key', 'desc')
			.limit(1)
			.executeTakeFirst();
		await db.deleteFrom('channel_cursors').execute();
		await db.deleteFrom('identities').where('type', '=', 'bitrix24_contact').execute();
		await db.deleteFrom('host_records').execute();
		const orders: Partial<Record<MarketplaceId, string[]>> = {};
		for (const row of await db.selectFrom('orders').select(['source', 'external_id']).execute()) {
			const source = MarketplaceIdSchema.safeParse(row.source);
			if (source.success) orders[source.data] = [...(orders[source.data] ?? []), row.external_id];
		}
		return { platforms: { maxMidsUsed: Number(MAX_MID.exec(last?.source_key ?? '')?.[1] ?? 0) }, orders };
	} finally {
		await close();
	}
}
