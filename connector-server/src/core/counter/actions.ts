import type {
	CounterActionResult,
	CounterIdentifyRequest,
	CounterPickup,
	CustomerCard,
	IdentifierInput,
	IdentifierType,
	OrderItemSchema,
	OrderStatus,
} from '@nitka/shared';
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { ValidationError } from '../errors.ts';
import { findCustomerByIdentifier, memberIds, rootOf } from '../identity/identity-graph.ts';
import { type EventReactor, ingestBatch } from '../ingest/ingest.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import { normalisePromoCode } from '../promos/codes.ts';
import { buildCustomerCard, pickupsAt } from './card.ts';
import type { DevicePrincipal } from './devices.ts';
import {
	CodeExpiredError,
	CodeOtherCustomerError,
	CodeRedeemedError,
	CodeUnknownError,
	CustomerUnknownError,
	PickupStateError,
	ReturnStateError,
} from './errors.ts';
import { isValidEan13, loyaltyNumberFor, normalizeLoyaltyInput } from './loyalty.ts';
import { CARD_TOKEN_TTL_SECONDS, type CounterKeys, issueQrToken, spendQrToken } from './qr-tokens.ts';

/**
 * The counter's actions (docs/counter.md). Each runs inside the caller's transaction (the one
 * that holds its Idempotency-Key row) and appends the shared counter events through `ingestBatch`
 * with the server's reactors, so notifications and host updates follow from them like from any
 * channel's events. Every query is scoped by the device's tenant.
 */

export interface CounterDeps {
	keys: CounterKeys;
	reactors: readonly EventReactor[];
}

/** One confirmed action of a device: its Idempotency-Key names the events it makes. */
export interface ActionContext {
	device: DevicePrincipal;
	actionId: string;
	now: number;
}

type Item = z.infer<typeof OrderItemSchema>;

const sourceKey = (ctx: ActionContext, suffix?: string) =>
	`pos:${ctx.device.deviceId}:${ctx.actionId}${suffix ? `:${suffix}` : ''}`;

async function customerRoot(tx: Db, tenantId: string, customerId: string): Promise<string> {
	try {
		return await rootOf(tx, tenantId, customerId);
	} catch {
		throw new CustomerUnknownError();
	}
}

/**
 * An identifier the customer already has, to hand `ingestBatch` (which resolves customers by
 * identifiers): the oldest one of their merge tree, or their loyalty number (created on first use).
 */
async function anchorOf(tx: Db, tenantId: string, rootId: string, now: number): Promise<IdentifierInput> {
	const members = await memberIds(tx, tenantId, rootId);
	const row = await tx
		.selectFrom('identities')
		.select(['type', 'value'])
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.orderBy('created_at')
		.orderBy('id')
		.executeTakeFirst();
	if (row) return { type: row.type as IdentifierType, value: row.value, verified: false };
	return { type: 'loyalty_card', value: await loyaltyNumberFor(tx, tenantId, rootId, now), verified: true };
}

/** Appends events to a known customer's timeline and runs the reactors; ids of the new events. */
async function appendForCustomer(
	tx: Db,
	deps: CounterDeps,
	tenantId: string,
	rootId: string,
	events: InboundEvent[],
	now: number,
): Promise<string[]> {
	const anchor = await anchorOf(tx, tenantId, rootId, now);
	const result = await ingestBatch(tx, tenantId, { identifiers: [anchor], events }, now, deps.reactors);
	return result.stored;
}

function result(
	customerId: string,
	stored: string[],
	extra: Partial<CounterActionResult> = {},
): CounterActionResult {
	return { eventId: stored[0] ?? null, duplicate: stored.length === 0, customerId, ...extra };
}

/** Identifies a customer by a QR (spent here), a phone, or a loyalty number; answers the card. */
export async function identifyCustomer(
	tx: Db,
	deps: CounterDeps,
	device: DevicePrincipal,
	input: CounterIdentifyRequest,
	now: number,
): Promise<CustomerCard> {
	let customerId: string | null;
	let scanned: CustomerCard['scanned'] = null;
	if ('qr' in input) {
		const claims = await spendQrToken(
			tx,
			deps.keys,
			{ token: input.qr, tenantId: device.tenantId, deviceId: device.deviceId },
			now,
		);
		customerId = claims.customerId;
		scanned = { kind: claims.kind, returnId: claims.refId ?? null };
	} else if ('phone' in input) {
		customerId = await findCustomerByIdentifier(tx, device.tenantId, 'phone', input.phone);
	} else {
		const number = normalizeLoyaltyInput(input.loyalty);
		if (!isValidEan13(number)) {
			throw new ValidationError('not a loyalty card number', [
				{ path: 'loyalty', message: 'expected 13 digits with a valid check digit' },
			]);
		}
		customerId = await findCustomerByIdentifier(tx, device.tenantId, 'loyalty_card', number);
	}
	if (!customerId) throw new CustomerUnknownError();
	const rootId = await customerRoot(tx, device.tenantId, customerId);
	const card = await buildCustomerCard(tx, device.tenantId, rootId, device.locationId, now);
	return { ...card, scanned };
}

export async function customerCard(
	tx: Db,
	device: DevicePrincipal,
	customerId: string,
	now: number,
): Promise<CustomerCard> {
	const rootId = await customerRoot(tx, device.tenantId, customerId);
	return await buildCustomerCard(tx, device.tenantId, rootId, device.locationId, now);
}

const at = (ctx: ActionContext) => ({ locationId: ctx.device.locationId, deviceId: ctx.device.deviceId });

export async function recordVisit(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	customerId: string,
	input: { note?: string | undefined },
): Promise<CounterActionResult> {
	const rootId = await customerRoot(tx, ctx.device.tenantId, customerId);
	const stored = await appendForCustomer(
		tx,
		deps,
		ctx.device.tenantId,
		rootId,
		[
			{
				type: 'pos.visit',
				channel: 'pos',
				occurredAt: ctx.now,
				sourceKey: sourceKey(ctx),
				data: { ...at(ctx), ...(input.note ? { note: input.note } : {}) },
			},
		],
		ctx.now,
	);
	return result(rootId, stored);
}

/** A till receipt; recorded once per tenant whichever device sends it (`pos:purchase:<receiptId>`). */
export async function recordPurchase(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	customerId: string,
	input: { receiptId: string; items: Item[]; total: string; currency: string },
): Promise<CounterActionResult> {
	const rootId = await customerRoot(tx, ctx.device.tenantId, customerId);
	const stored = await appendForCustomer(
		tx,
		deps,
		ctx.device.tenantId,
		rootId,
		[
			{
				type: 'pos.purchase',
				channel: 'pos',
				occurredAt: ctx.now,
				sourceKey: `pos:purchase:${input.receiptId}`,
				data: {
					...at(ctx),
					receiptId: input.receiptId,
					items: input.items,
					total: input.total,
					currency: input.currency,
				},
			},
		],
		ctx.now,
	);
	return result(rootId, stored);
}

export async function addNote(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	customerId: string,
	input: { text: string },
): Promise<CounterActionResult> {
	const rootId = await customerRoot(tx, ctx.device.tenantId, customerId);
	const stored = await appendForCustomer(
		tx,
		deps,
		ctx.device.tenantId,
		rootId,
		[
			{
				type: 'note',
				channel: 'pos',
				occurredAt: ctx.now,
				sourceKey: sourceKey(ctx),
				data: { text: input.text, author: `counter: ${ctx.device.name}`.slice(0, 200) },
			},
		],
		ctx.now,
	);
	return result(rootId, stored);
}

async function pickupRow(tx: Db, tenantId: string, orderId: string) {
	const row = await tx
		.selectFrom('order_pickups')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('order_id', '=', orderId)
		.executeTakeFirst();
	if (!row) throw new PickupStateError('no pickup is expected for this order');
	return row;
}

async function onePickup(tx: Db, device: DevicePrincipal, orderId: string): Promise<CounterPickup> {
	const [pickup] = await pickupsAt(tx, device.tenantId, device.locationId, {
		orderId,
		states: ['to_prepare', 'ready', 'collected', 'cancelled'],
	});
	if (!pickup) throw new PickupStateError('no pickup is expected for this order here');
	return pickup;
}

/** The order's lifecycle moves too (its host follows through the reactors): an event and the row. */
async function orderStatusEvent(
	tx: Db,
	tenantId: string,
	orderId: string,
	to: OrderStatus,
	rawStatus: string,
	key: string,
	now: number,
): Promise<InboundEvent | null> {
	const order = await tx
		.selectFrom('orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', orderId)
		.executeTakeFirst();
	if (!order || order.status === to) return null;
	await tx
		.updateTable('orders')
		.set({ status: to, raw_status: rawStatus, status_at: now, updated_at: now })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', orderId)
		.execute();
	return {
		type: 'order.status_changed',
		channel: 'pos',
		occurredAt: now,
		sourceKey: key,
		data: {
			source: order.source as never,
			orderId: order.external_id,
			number: order.number,
			from: order.status as OrderStatus,
			to,
			rawStatus,
		},
	};
}

/** This location's pickup orders, oldest first. */
export async function listPickups(
	db: Db,
	device: DevicePrincipal,
	state: 'to_prepare' | 'ready' | undefined,
): Promise<CounterPickup[]> {
	return await pickupsAt(db, device.tenantId, device.locationId, {
		states: state ? [state] : ['to_prepare', 'ready'],
	});
}

/**
 * Marks a pickup order ready: `to_prepare` → `ready`, and the order becomes `ready_for_pickup`
 * (an `order.status_changed` the notification reactors tell the customer about). Marking a ready
 * order ready again changes nothing.
 */
export async function markPickupReady(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	orderId: string,
): Promise<CounterPickup> {
	const { tenantId, locationId } = ctx.device;
	const row = await pickupRow(tx, tenantId, orderId);
	if (row.location_id !== locationId)
		throw new PickupStateError('this order is to be collected at another location');
	if (row.state === 'collected' || row.state === 'cancelled') {
		throw new PickupStateError(`this order is already ${row.state}`);
	}
	if (row.state === 'to_prepare') {
		const updated = await tx
			.updateTable('order_pickups')
			.set({ state: 'ready', ready_at: ctx.now, updated_at: ctx.now })
			.where('tenant_id', '=', tenantId)
			.where('order_id', '=', orderId)
			.where('state', '=', 'to_prepare')
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) > 0) {
			const event = await orderStatusEvent(
				tx,
				tenantId,
				orderId,
				'ready_for_pickup',
				'ready_for_pickup',
				sourceKey(ctx),
				ctx.now,
			);
			if (event) {
				const rootId = await customerRoot(tx, tenantId, row.customer_id);
				await appendForCustomer(tx, deps, tenantId, rootId, [event], ctx.now);
			}
		}
	}
	return await onePickup(tx, ctx.device, orderId);
}

/**
 * The customer collects a pickup order here: `collected`, a `pos.pickup` event (its `orderId` is
 * Nitka's order id) and the order `delivered` (an `order.status_changed` the host follows).
 */
export async function collectPickup(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	customerId: string,
	input: { orderId: string },
): Promise<CounterActionResult> {
	const { tenantId, locationId } = ctx.device;
	const rootId = await customerRoot(tx, tenantId, customerId);
	const row = await pickupRow(tx, tenantId, input.orderId);
	if (row.location_id !== locationId)
		throw new PickupStateError('this order is to be collected at another location');
	if ((await customerRoot(tx, tenantId, row.customer_id)) !== rootId) {
		throw new PickupStateError('this order belongs to another customer');
	}
	if (row.state === 'collected' || row.state === 'cancelled') {
		throw new PickupStateError(`this order is already ${row.state}`);
	}
	const updated = await tx
		.updateTable('order_pickups')
		.set({
			state: 'collected',
			collected_at: ctx.now,
			collected_device_id: ctx.device.deviceId,
			updated_at: ctx.now,
		})
		.where('tenant_id', '=', tenantId)
		.where('order_id', '=', input.orderId)
		.where('state', 'in', ['to_prepare', 'ready'])
		.executeTakeFirst();
	if (Number(updated.numUpdatedRows) === 0) throw new PickupStateError('this order was collected meanwhile');
	const order = await tx
		.selectFrom('orders')
		.select('number')
		.where('tenant_id', '=', tenantId)
		.where('id', '=', input.orderId)
		.executeTakeFirst();
	const events: InboundEvent[] = [
		{
			type: 'pos.pickup',
			channel: 'pos',
			occurredAt: ctx.now,
			sourceKey: sourceKey(ctx),
			data: {
				...at(ctx),
				orderId: input.orderId,
				...(order?.number ? { orderNumber: order.number.slice(0, 200) } : {}),
			},
		},
	];
	const status = await orderStatusEvent(
		tx,
		tenantId,
		input.orderId,
		'delivered',
		'collected',
		sourceKey(ctx, 'order'),
		ctx.now,
	);
	if (status) events.push(status);
	const stored = await appendForCustomer(tx, deps, tenantId, rootId, events, ctx.now);
	return result(rootId, stored, { pickup: await onePickup(tx, ctx.device, input.orderId) });
}

/**
 * A return at the counter. With a return QR (spent here) or the id of an approved return from the
 * card, that return becomes `received`; without, the goods are recorded as returned over the
 * counter. Either way a `pos.return` event (the journey's reactors tell the host and the customer).
 */
export async function recordReturn(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	customerId: string,
	input: {
		returnToken?: string | undefined;
		returnId?: string | undefined;
		orderId?: string | undefined;
		receiptId?: string | undefined;
		items: Item[];
		total?: string | undefined;
		reason?: string | undefined;
	},
): Promise<CounterActionResult> {
	const { tenantId } = ctx.device;
	const rootId = await customerRoot(tx, tenantId, customerId);
	let returnId = input.returnId;
	if (input.returnToken) {
		const claims = await spendQrToken(
			tx,
			deps.keys,
			{ token: input.returnToken, tenantId, deviceId: ctx.device.deviceId, kind: 'return' },
			ctx.now,
		);
		if ((await customerRoot(tx, tenantId, claims.customerId)) !== rootId) {
			throw new ReturnStateError('this return QR belongs to another customer');
		}
		if (returnId && returnId !== claims.refId)
			throw new ReturnStateError('the return QR names another return');
		returnId = claims.refId;
	}
	let fromReturn:
		| { orderId: string | null; items: Item[]; total: string | null; reason: string | null }
		| undefined;
	if (returnId) {
		const row = await tx
			.selectFrom('returns')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('id', '=', returnId)
			.executeTakeFirst();
		if (!row) throw new ReturnStateError('no such return');
		if ((await customerRoot(tx, tenantId, row.customer_id)) !== rootId) {
			throw new ReturnStateError('this return belongs to another customer');
		}
		if (row.state !== 'approved') throw new ReturnStateError(`this return is ${row.state}, not approved`);
		const updated = await tx
			.updateTable('returns')
			.set({
				state: 'received',
				received_at: ctx.now,
				received_location_id: ctx.device.locationId,
				updated_at: ctx.now,
			})
			.where('tenant_id', '=', tenantId)
			.where('id', '=', returnId)
			.where('state', '=', 'approved')
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) === 0)
			throw new ReturnStateError('this return was received meanwhile');
		let items: Item[] = [];
		try {
			items = JSON.parse(row.items) as Item[];
		} catch {
			items = [];
		}
		fromReturn = { orderId: row.order_id, items, total: row.total, reason: row.reason };
	}
	const orderId = input.orderId ?? fromReturn?.orderId ?? undefined;
	const total = input.total ?? fromReturn?.total ?? undefined;
	const reason = input.reason ?? fromReturn?.reason ?? undefined;
	const stored = await appendForCustomer(
		tx,
		deps,
		tenantId,
		rootId,
		[
			{
				type: 'pos.return',
				channel: 'pos',
				occurredAt: ctx.now,
				sourceKey: returnId ? `pos:return:${returnId}` : sourceKey(ctx),
				data: {
					...at(ctx),
					...(orderId ? { orderId } : {}),
					...(input.receiptId ? { receiptId: input.receiptId } : {}),
					items: input.items.length > 0 ? input.items : (fromReturn?.items ?? []),
					...(total ? { total } : {}),
					...(reason ? { reason } : {}),
				},
			},
		],
		ctx.now,
	);
	return result(rootId, stored, returnId ? { returnId } : {});
}

/** Redeems a personal promo code once: unknown 404, used 409, expired 410, someone else's 409. */
export async function redeemPromoCode(
	tx: Db,
	deps: CounterDeps,
	ctx: ActionContext,
	customerId: string,
	input: { code: string },
): Promise<CounterActionResult> {
	const { tenantId } = ctx.device;
	const rootId = await customerRoot(tx, tenantId, customerId);
	const typed = input.code.trim();
	// As typed first (a code stored with its dashes), then as issued: separators dropped, upper
	// case, Cyrillic look-alikes made Latin («вк-абс 234» → VKABC234).
	const candidates = [...new Set([typed, typed.toUpperCase(), normalisePromoCode(typed)])].filter(Boolean);
	const rows = await tx
		.selectFrom('promo_codes')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('code', 'in', candidates)
		.execute();
	const row = candidates.map((c) => rows.find((r) => r.code === c)).find((r) => r !== undefined);
	if (!row) throw new CodeUnknownError();
	if (row.customer_id && (await customerRoot(tx, tenantId, row.customer_id)) !== rootId) {
		throw new CodeOtherCustomerError();
	}
	if (row.redeemed_at !== null) throw new CodeRedeemedError();
	if (row.expires_at !== null && Number(row.expires_at) <= ctx.now) throw new CodeExpiredError();
	const updated = await tx
		.updateTable('promo_codes')
		.set({
			redeemed_at: ctx.now,
			redeemed_location_id: ctx.device.locationId,
			redeemed_device_id: ctx.device.deviceId,
		})
		.where('tenant_id', '=', tenantId)
		.where('id', '=', row.id)
		.where('redeemed_at', 'is', null)
		.executeTakeFirst();
	if (Number(updated.numUpdatedRows) === 0) throw new CodeRedeemedError();
	const stored = await appendForCustomer(
		tx,
		deps,
		tenantId,
		rootId,
		[
			{
				type: 'promo.redeemed',
				channel: 'pos',
				occurredAt: ctx.now,
				sourceKey: `pos:promo:${row.id}`,
				data: { code: row.code, ...at(ctx) },
			},
		],
		ctx.now,
	);
	return result(rootId, stored, { code: row.code });
}

/**
 * A fresh `card` token and the loyalty number of a customer, for hosts that draw the card
 * themselves (the WooCommerce My Account page) and for the card page.
 */
export async function issueCardToken(
	tx: Db,
	keys: CounterKeys,
	tenantId: string,
	customerId: string,
	now: number,
): Promise<{ token: string; expiresAt: number; loyaltyNumber: string; customerId: string }> {
	const rootId = await rootOf(tx, tenantId, customerId);
	const loyaltyNumber = await loyaltyNumberFor(tx, tenantId, rootId, now);
	const issued = issueQrToken(
		keys,
		{ tenantId, customerId: rootId, kind: 'card', ttlSeconds: CARD_TOKEN_TTL_SECONDS },
		now,
	);
	return { token: issued.token, expiresAt: issued.expiresAt, loyaltyNumber, customerId: rootId };
}
