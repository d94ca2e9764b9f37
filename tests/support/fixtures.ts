import { createTenant } from '../../connector-server/src/core/tenants/tenant-repository.ts';
import type { Db } from '../../connector-server/src/db/database.ts';

let counter = 0;

/** A new tenant with a unique external id. */
export async function makeTenant(
	db: Db,
	kind: 'bitrix24' | 'woocommerce' = 'bitrix24',
	agencyId: string | null = null,
) {
	counter += 1;
	return await createTenant(
		db,
		{
			kind,
			name: `Shop ${counter}`,
			externalId: `ext-${Date.now()}-${counter}-${Math.random().toString(36).slice(2)}`,
			agencyId,
		},
		Date.parse('2026-11-23T09:00:00Z'),
	);
}
