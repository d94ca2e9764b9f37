import type { Tenant } from '@nitka/shared';
import { createTenant, getTenant } from '../../../connector-server/src/core/tenants/tenant-repository.ts';
import type { Db } from '../../../connector-server/src/db/database.ts';

// Before the app was installed for real, the demo made its Bitrix24 tenant under this id.
const EARLIER_PORTAL_ID = 'nitka-demo.bitrix24.ru';
const shop = {
	kind: 'woocommerce',
	name: 'Демо-магазин (WooCommerce)',
	externalId: 'nitka-demo-woocommerce',
} as const;

/** The emulated portal as this run started it: its member_id and domain change every run. */
export interface PortalIdentity {
	memberId: string;
	domain: string;
	clientEndpoint: string;
}

/**
 * The demo's Bitrix24 tenant, the one the app's install lands on. The emulator gives its portal a
 * new member_id and port each run (it takes no fixed ones), while a real portal keeps both; so the
 * tenant an earlier run installed (or made) is re-keyed to this run's portal, and the install then
 * finds it instead of making a new one. The channels and data stay with one tenant across runs.
 */
export async function ensureDemoPortalTenant(db: Db, portal: PortalIdentity, at: number): Promise<Tenant> {
	const installed = await db
		.selectFrom('host_portals')
		.select('tenant_id')
		.where('host', '=', 'bitrix24')
		.orderBy('installed_at')
		.executeTakeFirst();
	const earlier =
		installed?.tenant_id ??
		(
			await db
				.selectFrom('tenants')
				.select('id')
				.where('kind', '=', 'bitrix24')
				.where('external_id', '=', EARLIER_PORTAL_ID)
				.executeTakeFirst()
		)?.id;
	if (!earlier)
		return await createTenant(
			db,
			{ kind: 'bitrix24', name: 'Демо-магазин (Bitrix24)', externalId: portal.memberId },
			at,
		);
	await db.updateTable('tenants').set({ external_id: portal.memberId }).where('id', '=', earlier).execute();
	await db
		.updateTable('host_portals')
		.set({ external_id: portal.memberId, domain: portal.domain, client_endpoint: portal.clientEndpoint })
		.where('tenant_id', '=', earlier)
		.execute();
	return await getTenant(db, earlier);
}

/** The demo's WooCommerce shop while no WordPress is paired (a paired site brings its own tenant). */
export async function ensureDemoShopTenant(db: Db, at: number): Promise<Tenant> {
	const existing = await db
		.selectFrom('tenants')
		.select('id')
		.where('kind', '=', shop.kind)
		.where('external_id', '=', shop.externalId)
		.executeTakeFirst();
	return existing ? await getTenant(db, existing.id) : await createTenant(db, shop, at);
}
