import type { Consent, Customer, IdentifierType, Identity } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { findCustomerByIdentifier, rootOf } from '../identity/identity-graph.ts';

/**
 * The merged view of one customer, read from the customer and everyone merged into it.
 * Survivorship (docs/identity.md): the name with the highest source rank wins, the newer on a tie;
 * the displayed phone and email prefer verified identifiers, then the most recently linked.
 */
export async function getCustomerView(db: Db, tenantId: string, customerId: string): Promise<Customer> {
	const rootId = await rootOf(db, tenantId, customerId);
	const members = await db
		.selectFrom('customers')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('root_id', '=', rootId)
		.execute();
	const root = members.find((member) => member.id === rootId);
	if (!root) throw new NotFoundError(`customer ${customerId}`);
	const memberIds = members.map((member) => member.id);
	const identityRows = await db
		.selectFrom('identities')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', memberIds)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	const identities: Identity[] = identityRows.map((row) => ({
		id: row.id,
		customerId: row.customer_id,
		type: row.type as IdentifierType,
		value: row.value,
		verified: row.verified === 1,
		source: row.source,
		createdAt: toIso(Number(row.created_at)),
	}));
	const consentRows = await db
		.selectFrom('consents')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', memberIds)
		.execute();
	const consents = new Map<string, Consent>();
	for (const row of consentRows.sort((a, b) => Number(a.recorded_at) - Number(b.recorded_at))) {
		consents.set(row.purpose, {
			purpose: row.purpose as Consent['purpose'],
			status: row.status as Consent['status'],
			source: row.source,
			recordedAt: toIso(Number(row.recorded_at)),
		});
	}
	const named = members
		.filter((member) => member.name)
		.sort((a, b) => b.name_rank - a.name_rank || Number(b.name_at) - Number(a.name_at));
	const last = await db
		.selectFrom('events')
		.select((eb) => eb.fn.max('occurred_at').as('at'))
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', memberIds)
		.executeTakeFirst();
	return {
		id: rootId,
		tenantId,
		displayName: named[0]?.name ?? null,
		phone: pickDisplayed(identities, 'phone'),
		email: pickDisplayed(identities, 'email'),
		identities,
		consents: [...consents.values()],
		mergedIds: memberIds.filter((id) => id !== rootId),
		createdAt: toIso(Number(root.created_at)),
		lastEventAt: last?.at === null || last?.at === undefined ? null : toIso(Number(last.at)),
	};
}

function pickDisplayed(identities: Identity[], type: 'phone' | 'email'): string | null {
	const candidates = identities.filter((identity) => identity.type === type);
	const verified = candidates.filter((identity) => identity.verified);
	return (verified.at(-1) ?? candidates.at(-1))?.value ?? null;
}

/** Finds customers by phone, email or a platform id; the value is normalized the way it is stored. */
export async function searchCustomers(
	db: Db,
	tenantId: string,
	query: { type: IdentifierType; value: string },
): Promise<Customer[]> {
	const rootId = await findCustomerByIdentifier(db, tenantId, query.type, query.value);
	return rootId ? [await getCustomerView(db, tenantId, rootId)] : [];
}
