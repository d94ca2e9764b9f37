import type { HostKind, Tenant } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId, toIso } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';

type TenantRow = Database['tenants'];

export function toTenant(row: TenantRow): Tenant {
	return {
		id: row.id,
		kind: row.kind as HostKind,
		name: row.name,
		externalId: row.external_id,
		agencyId: row.agency_id,
		createdAt: toIso(Number(row.created_at)),
	};
}

export async function createAgency(db: Db, name: string, at: number): Promise<{ id: string; name: string }> {
	const id = newId(at);
	await db.insertInto('agencies').values({ id, name, created_at: at }).execute();
	return { id, name };
}

export async function createTenant(
	db: Db,
	input: { kind: HostKind; name: string; externalId: string; agencyId?: string | null },
	at: number,
): Promise<Tenant> {
	const existing = await db
		.selectFrom('tenants')
		.select('id')
		.where('kind', '=', input.kind)
		.where('external_id', '=', input.externalId)
		.executeTakeFirst();
	if (existing) throw new ConflictError(`a ${input.kind} tenant for ${input.externalId} already exists`);
	const row = {
		id: newId(at),
		agency_id: input.agencyId ?? null,
		kind: input.kind,
		name: input.name,
		external_id: input.externalId,
		settings: '{}',
		created_at: at,
	};
	await db.insertInto('tenants').values(row).execute();
	return toTenant(row);
}

export async function getTenant(db: Db, tenantId: string): Promise<Tenant> {
	const row = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
	if (!row) throw new NotFoundError(`tenant ${tenantId}`);
	return toTenant(row);
}

export async function listTenants(
	db: Db,
	scope: { tenantId?: string; agencyId?: string },
): Promise<Tenant[]> {
	let q = db.selectFrom('tenants').selectAll();
	if (scope.tenantId) q = q.where('id', '=', scope.tenantId);
	else if (scope.agencyId) q = q.where('agency_id', '=', scope.agencyId);
	else return [];
	return (await q.orderBy('id').execute()).map(toTenant);
}
