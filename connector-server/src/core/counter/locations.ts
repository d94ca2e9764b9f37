import type { CounterLocation } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId, toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';

/** A tenant's stores and pickup points. Every function takes the tenant: no cross-tenant reads. */

type LocationRow = Database['locations'];

export function toLocation(row: LocationRow): CounterLocation {
	return {
		id: row.id,
		name: row.name,
		address: row.address,
		kind: row.kind as CounterLocation['kind'],
		active: row.active === 1,
		createdAt: toIso(Number(row.created_at)),
		updatedAt: toIso(Number(row.updated_at)),
	};
}

export async function createLocation(
	db: Db,
	tenantId: string,
	input: { name: string; address?: string | undefined; kind: CounterLocation['kind'] },
	now: number,
): Promise<CounterLocation> {
	const row: LocationRow = {
		id: newId(now),
		tenant_id: tenantId,
		name: input.name,
		address: input.address ?? null,
		kind: input.kind,
		active: 1,
		created_at: now,
		updated_at: now,
	};
	await db.insertInto('locations').values(row).execute();
	return toLocation(row);
}

export async function listLocations(db: Db, tenantId: string): Promise<CounterLocation[]> {
	const rows = await db
		.selectFrom('locations')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map(toLocation);
}

export async function getLocation(db: Db, tenantId: string, locationId: string): Promise<CounterLocation> {
	const row = await db
		.selectFrom('locations')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', locationId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`location ${locationId}`);
	return toLocation(row);
}

export async function updateLocation(
	db: Db,
	tenantId: string,
	locationId: string,
	patch: {
		name?: string | undefined;
		address?: string | null | undefined;
		kind?: CounterLocation['kind'] | undefined;
		active?: boolean | undefined;
	},
	now: number,
): Promise<CounterLocation> {
	const result = await db
		.updateTable('locations')
		.set({
			...(patch.name === undefined ? {} : { name: patch.name }),
			...(patch.address === undefined ? {} : { address: patch.address }),
			...(patch.kind === undefined ? {} : { kind: patch.kind }),
			...(patch.active === undefined ? {} : { active: patch.active ? 1 : 0 }),
			updated_at: now,
		})
		.where('tenant_id', '=', tenantId)
		.where('id', '=', locationId)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`location ${locationId}`);
	return await getLocation(db, tenantId, locationId);
}
