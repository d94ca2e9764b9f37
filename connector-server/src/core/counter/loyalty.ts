import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import { memberIds, rootOf } from '../identity/identity-graph.ts';

/**
 * Loyalty numbers (docs/counter.md): 13-digit EAN-13 numbers in the in-store range (prefix `2`,
 * which GS1 keeps for numbers a shop assigns itself), so any till's barcode scanner reads the
 * printed card. Stored as the customer's `loyalty_card` identifier and never changed.
 */

/** The EAN-13 check digit of the first 12 digits. */
export function ean13CheckDigit(first12: string): number {
	if (!/^\d{12}$/.test(first12)) throw new RangeError('expected 12 digits');
	let sum = 0;
	for (let i = 0; i < 12; i += 1) {
		// Positions 1, 3, 5… weigh 1; positions 2, 4, 6… weigh 3.
		sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
	}
	return (10 - (sum % 10)) % 10;
}

export function isValidEan13(value: string): boolean {
	return /^\d{13}$/.test(value) && ean13CheckDigit(value.slice(0, 12)) === Number(value[12]);
}

/** A loyalty number as Nitka issues them: a valid EAN-13 starting with `2`. */
export function isLoyaltyNumber(value: string): boolean {
	return isValidEan13(value) && value.startsWith('2');
}

/** Scanned or typed: drops spaces and dashes a card print or a person may add. */
export function normalizeLoyaltyInput(raw: string): string {
	return raw.replace(/[\s-]/g, '');
}

/**
 * The n-th candidate number for a customer. Deterministic, so two first uses racing each other
 * pick the same number and one of them simply finds it taken by the same customer.
 */
export function loyaltyCandidate(tenantId: string, customerId: string, attempt: number): string {
	const digest = createHash('sha256').update(`${tenantId}\u0000${customerId}\u0000${attempt}`).digest();
	// 11 digits from the digest (a 48-bit slice modulo 10^11), after the `2` prefix.
	const body = (digest.readUIntBE(0, 6) % 100_000_000_000).toString().padStart(11, '0');
	const first12 = `2${body}`;
	return `${first12}${ean13CheckDigit(first12)}`;
}

async function existingNumber(tx: Db, tenantId: string, rootId: string): Promise<string | undefined> {
	const members = await memberIds(tx, tenantId, rootId);
	const row = await tx
		.selectFrom('identities')
		.select('value')
		.where('tenant_id', '=', tenantId)
		.where('type', '=', 'loyalty_card')
		.where('customer_id', 'in', members)
		.orderBy('created_at')
		.orderBy('id')
		.executeTakeFirst();
	return row?.value;
}

/**
 * The customer's loyalty number, created on first use. Returns the oldest `loyalty_card`
 * identifier of the customer (or of anyone merged into them), so it stays the same for life.
 */
export async function loyaltyNumberFor(
	tx: Db,
	tenantId: string,
	customerId: string,
	now: number,
): Promise<string> {
	const rootId = await rootOf(tx, tenantId, customerId);
	const existing = await existingNumber(tx, tenantId, rootId);
	if (existing) return existing;
	for (let attempt = 0; attempt < 20; attempt += 1) {
		const candidate = loyaltyCandidate(tenantId, rootId, attempt);
		const inserted = await tx
			.insertInto('identities')
			.values({
				id: newId(now),
				tenant_id: tenantId,
				customer_id: rootId,
				type: 'loyalty_card',
				value: candidate,
				verified: 1,
				source: 'pos',
				created_at: now,
			})
			.onConflict((oc) => oc.columns(['tenant_id', 'type', 'value']).doNothing())
			.executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return candidate;
		// Taken: by this customer (a concurrent first use) or, rarely, by someone else.
		const owner = await tx
			.selectFrom('identities as i')
			.innerJoin('customers as c', 'c.id', 'i.customer_id')
			.select('c.root_id')
			.where('i.tenant_id', '=', tenantId)
			.where('i.type', '=', 'loyalty_card')
			.where('i.value', '=', candidate)
			.executeTakeFirst();
		if (owner?.root_id === rootId) return (await existingNumber(tx, tenantId, rootId)) ?? candidate;
	}
	throw new Error('could not allocate a loyalty number');
}
