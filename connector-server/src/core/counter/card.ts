import type { CounterPickup, CustomerCard, IdentifierType, OrderStatus } from '@nitka/shared';
import { OrderItemSchema } from '@nitka/shared';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { maskString } from '../../observability/personal-data.ts';
import { toIso } from '../clock.ts';
import { getCustomerView } from '../customers/customer-view.ts';
import { readTimeline } from '../events/event-store.ts';
import { memberIds, rootOf } from '../identity/identity-graph.ts';
import { loyaltyNumberFor } from './loyalty.ts';

/**
 * The customer card the counter shows (docs/counter.md): enough to serve the person in front of
 * the staff, and no more: phones and emails are masked.
 */

export const CARD_TIMELINE_SIZE = 20;

/** `+79161234567` → `+7 *** ***-**-67`: recognisable to the customer, useless to anyone else. */
export function maskPhone(e164: string): string {
	const digits = e164.replace(/\D/g, '');
	if (digits.length < 7) return '***';
	const calling = parsePhoneNumberFromString(e164)?.countryCallingCode;
	const country = calling ? `+${calling}` : '+';
	return `${country} *** ***-**-${digits.slice(-2)}`;
}

export function maskEmail(email: string): string {
	return maskString(email);
}

export function maskIdentity(type: IdentifierType, value: string): string {
	if (type === 'phone') return maskPhone(value);
	if (type === 'email') return maskEmail(value);
	return value;
}

const ItemsSchema = z.array(OrderItemSchema);

function parseItems(raw: string): z.infer<typeof ItemsSchema> {
	try {
		const parsed = ItemsSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : [];
	} catch {
		return [];
	}
}

/** This location's pickup orders (optionally one customer's), with their order's number and status. */
export async function pickupsAt(
	db: Db,
	tenantId: string,
	locationId: string,
	options: { customerIds?: string[]; states: readonly string[]; orderId?: string },
): Promise<CounterPickup[]> {
	let query = db
		.selectFrom('order_pickups as p')
		.leftJoin('orders as o', (join) =>
			join.onRef('o.id', '=', 'p.order_id').onRef('o.tenant_id', '=', 'p.tenant_id'),
		)
		.leftJoin('customers as c', (join) =>
			join.onRef('c.id', '=', 'p.customer_id').onRef('c.tenant_id', '=', 'p.tenant_id'),
		)
		.select([
			'p.order_id',
			'p.customer_id',
			'p.state',
			'p.created_at',
			'p.ready_at',
			'p.collected_at',
			'o.number',
			'o.source',
			'o.status',
			'c.root_id',
			'p.items',
			'p.total',
			'p.currency',
		])
		.where('p.tenant_id', '=', tenantId)
		.where('p.location_id', '=', locationId)
		.where('p.state', 'in', [...options.states]);
	if (options.customerIds) query = query.where('p.customer_id', 'in', options.customerIds);
	if (options.orderId) query = query.where('p.order_id', '=', options.orderId);
	const rows = await query.orderBy('p.created_at').orderBy('p.order_id').limit(500).execute();
	const roots = [...new Set(rows.map((row) => row.root_id ?? row.customer_id))];
	const names = new Map<string, string | null>();
	if (roots.length > 0) {
		for (const row of await db
			.selectFrom('customers')
			.select(['id', 'name'])
			.where('tenant_id', '=', tenantId)
			.where('id', 'in', roots)
			.execute()) {
			names.set(row.id, row.name);
		}
	}
	return rows.map((row) => {
		const customerId = row.root_id ?? row.customer_id;
		return {
			orderId: row.order_id,
			number: row.number ?? row.order_id,
			source: row.source ?? 'chat',
			orderStatus: (row.status as OrderStatus | null) ?? null,
			customerId,
			customerName: names.get(customerId) ?? null,
			state: row.state as CounterPickup['state'],
			createdAt: toIso(Number(row.created_at)),
			readyAt: row.ready_at === null ? null : toIso(Number(row.ready_at)),
			collectedAt: row.collected_at === null ? null : toIso(Number(row.collected_at)),
			items: parseItems(row.items),
			total: row.total,
			currency: row.total === null ? null : (row.currency ?? 'RUB'),
		};
	});
}

/**
 * Builds the card of a customer (any id of their merge tree) as seen from one location. Creates
 * the loyalty number on first use, so it runs inside the caller's transaction.
 */
export async function buildCustomerCard(
	tx: Db,
	tenantId: string,
	customerId: string,
	locationId: string,
	now: number,
): Promise<CustomerCard> {
	const rootId = await rootOf(tx, tenantId, customerId);
	const loyaltyNumber = await loyaltyNumberFor(tx, tenantId, rootId, now);
	const view = await getCustomerView(tx, tenantId, rootId);
	const members = await memberIds(tx, tenantId, rootId);
	const timeline = await readTimeline(tx, tenantId, rootId, { limit: CARD_TIMELINE_SIZE });
	const pickups = await pickupsAt(tx, tenantId, locationId, {
		customerIds: members,
		states: ['to_prepare', 'ready'],
	});
	const codes = await tx
		.selectFrom('promo_codes as p')
		.leftJoin('promo_campaigns as c', (join) =>
			join.onRef('c.id', '=', 'p.campaign_id').onRef('c.tenant_id', '=', 'p.tenant_id'),
		)
		.select(['p.code', 'p.expires_at', 'c.name', 'c.offer'])
		.where('p.tenant_id', '=', tenantId)
		.where('p.customer_id', 'in', members)
		.where('p.redeemed_at', 'is', null)
		.where((eb) => eb.or([eb('p.expires_at', 'is', null), eb('p.expires_at', '>', now)]))
		.orderBy('p.issued_at', 'desc')
		.limit(50)
		.execute();
	const returns = await tx
		.selectFrom('returns as r')
		.leftJoin('orders as o', (join) =>
			join.onRef('o.id', '=', 'r.order_id').onRef('o.tenant_id', '=', 'r.tenant_id'),
		)
		.select([
			'r.id',
			'r.order_id',
			'r.state',
			'r.reason',
			'r.items',
			'r.total',
			'r.currency',
			'r.deadline_at',
			'o.number',
		])
		.where('r.tenant_id', '=', tenantId)
		.where('r.customer_id', 'in', members)
		.where('r.state', '=', 'approved')
		.orderBy('r.created_at', 'desc')
		.limit(50)
		.execute();
	return {
		customer: { id: rootId, name: view.displayName },
		identities: view.identities.map((identity) => ({
			type: identity.type,
			value: maskIdentity(identity.type, identity.value),
		})),
		loyaltyNumber,
		timeline: timeline.items,
		pickups,
		promoCodes: codes.map((code) => ({
			code: code.code,
			campaign: code.name ?? null,
			offer: code.offer ?? null,
			expiresAt: code.expires_at === null ? null : toIso(Number(code.expires_at)),
		})),
		returns: returns.map((row) => ({
			id: row.id,
			orderId: row.order_id,
			orderNumber: row.number ?? null,
			state: row.state as 'approved',
			reason: row.reason,
			items: parseItems(row.items),
			total: row.total,
			currency: row.currency,
			deadlineAt: row.deadline_at === null ? null : toIso(Number(row.deadline_at)),
		})),
	};
}
