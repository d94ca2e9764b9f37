import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import {
	type ActionContext,
	addNote,
	type CounterDeps,
	collectPickup,
	customerCard,
	identifyCustomer,
	issueCardToken,
	listPickups,
	markPickupReady,
	recordPurchase,
	recordReturn,
	recordVisit,
	redeemPromoCode,
} from '../../../../connector-server/src/core/counter/actions.ts';
import {
	authenticateDevice,
	createDevice,
	type DevicePrincipal,
	listDevices,
	revokeDevice,
} from '../../../../connector-server/src/core/counter/devices.ts';
import {
	CodeExpiredError,
	CodeOtherCustomerError,
	CodeRedeemedError,
	CodeUnknownError,
	CustomerUnknownError,
	IdempotencyKeyReusedError,
	PickupStateError,
	ReturnStateError,
	TokenExpiredError,
	TokenInvalidError,
	TokenUsedError,
} from '../../../../connector-server/src/core/counter/errors.ts';
import { requestHash, runIdempotent } from '../../../../connector-server/src/core/counter/idempotency.ts';
import {
	createLocation,
	getLocation,
	updateLocation,
} from '../../../../connector-server/src/core/counter/locations.ts';
import { isLoyaltyNumber, loyaltyNumberFor } from '../../../../connector-server/src/core/counter/loyalty.ts';
import {
	CARD_TOKEN_TTL_SECONDS,
	deriveCounterKeys,
	issueQrToken,
	spendQrToken,
} from '../../../../connector-server/src/core/counter/qr-tokens.ts';
import {
	AuthenticationError,
	NotFoundError,
	ValidationError,
} from '../../../../connector-server/src/core/errors.ts';
import { resolveCustomer } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import type { EventReactor } from '../../../../connector-server/src/core/ingest/ingest.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

describe.each(dialects)('the counter core (%s)', (dialect) => {
	let database: TestDatabase;
	let db: Db;
	const keys = deriveCounterKeys(Buffer.alloc(32, 3));
	const reacted: { type: string; sourceKey: string }[] = [];
	const spy: EventReactor = async (stored) => {
		for (const s of stored) reacted.push({ type: s.event.type, sourceKey: s.event.sourceKey });
		return [];
	};
	const deps: CounterDeps = { keys, reactors: [spy] };
	let tenantA: string;
	let tenantB: string;
	let storeA: string;
	let deviceA1: DevicePrincipal;
	let deviceA2: DevicePrincipal;
	let deviceB: DevicePrincipal;
	let keyA1: string;
	let anna: string;
	let boris: string;
	let vera: string; // tenant B

	let seq = 0;
	const act = (device: DevicePrincipal, now = T0): ActionContext => {
		seq += 1;
		return { device, actionId: `action-${seq}`, now };
	};
	const inTx = <T>(fn: (tx: Db) => Promise<T>) => db.transaction().execute(fn);

	async function customer(tenantId: string, telegram: string, phone: string, name: string) {
		const resolved = await resolveCustomer(db, {
			tenantId,
			identifiers: [
				{ type: 'telegram', value: telegram },
				{ type: 'phone', value: phone, verified: true },
			],
			source: 'telegram',
			profile: { name, source: 'messenger' },
			at: T0 - 86_400_000,
		});
		return resolved.customerId;
	}

	async function eventsOf(tenantId: string, type: string) {
		return await db
			.selectFrom('events')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('type', '=', type)
			.execute();
	}

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
		db = database.db;
		tenantA = (await makeTenant(db)).id;
		tenantB = (await makeTenant(db)).id;
		storeA = (await createLocation(db, tenantA, { name: 'Тверская, 1', kind: 'store' }, T0)).id;
		const storeB = (await createLocation(db, tenantB, { name: 'Other shop', kind: 'store' }, T0)).id;
		const a1 = await createDevice(db, tenantA, storeA, 'Касса 1', T0);
		const a2 = await createDevice(db, tenantA, storeA, 'Касса 2', T0);
		const b = await createDevice(db, tenantB, storeB, 'Till', T0);
		keyA1 = a1.key;
		deviceA1 = await authenticateDevice(db, a1.key, T0);
		deviceA2 = await authenticateDevice(db, a2.key, T0);
		deviceB = await authenticateDevice(db, b.key, T0);
		anna = await customer(tenantA, '1001', '+79161234567', 'Анна Петрова');
		boris = await customer(tenantA, '1002', '+79031112233', 'Борис');
		vera = await customer(tenantB, '2001', '+79161234567', 'Вера');
	});
	afterAll(async () => {
		await database.drop();
	});

	describe('devices', () => {
		it('authenticates a device key to its tenant and location, and keeps only a hash', async () => {
			expect(deviceA1).toMatchObject({ tenantId: tenantA, locationId: storeA, name: 'Касса 1' });
			expect(keyA1).toMatch(/^nkc_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
			const rows = await db.selectFrom('counter_devices').select('key_hash').execute();
			for (const row of rows) expect(keyA1).not.toContain(row.key_hash);
			const listed = await listDevices(db, tenantA, storeA);
			expect(listed.map((d) => d.name)).toEqual(['Касса 1', 'Касса 2']);
			expect(JSON.stringify(listed)).not.toContain('key');
		});

		it('refuses a wrong secret, a malformed key, and a revoked device at once', async () => {
			await expect(authenticateDevice(db, `${keyA1.slice(0, -2)}xx`, T0)).rejects.toThrow(
				AuthenticationError,
			);
			await expect(authenticateDevice(db, 'nk_nope', T0)).rejects.toThrow(AuthenticationError);
			const extra = await createDevice(db, tenantA, storeA, 'Планшет', T0);
			await authenticateDevice(db, extra.key, T0);
			const revoked = await revokeDevice(db, tenantA, extra.device.id, T0 + 1000);
			expect(revoked.revokedAt).not.toBeNull();
			await expect(authenticateDevice(db, extra.key, T0 + 1001)).rejects.toThrow(AuthenticationError);
		});

		it('refuses the devices of a closed location, and lets them in again when it reopens', async () => {
			const kiosk = await createLocation(db, tenantA, { name: 'Киоск', kind: 'pickup_point' }, T0);
			const device = await createDevice(db, tenantA, kiosk.id, 'Киоск', T0);
			await updateLocation(db, tenantA, kiosk.id, { active: false }, T0 + 1);
			await expect(authenticateDevice(db, device.key, T0 + 2)).rejects.toThrow(AuthenticationError);
			await expect(createDevice(db, tenantA, kiosk.id, 'Ещё', T0 + 2)).rejects.toThrow(NotFoundError);
			await updateLocation(db, tenantA, kiosk.id, { active: true }, T0 + 3);
			await expect(authenticateDevice(db, device.key, T0 + 4)).resolves.toMatchObject({
				locationId: kiosk.id,
			});
		});

		it('keeps admin operations inside their tenant', async () => {
			await expect(getLocation(db, tenantB, storeA)).rejects.toThrow(NotFoundError);
			await expect(updateLocation(db, tenantB, storeA, { name: 'x' }, T0)).rejects.toThrow(NotFoundError);
			await expect(revokeDevice(db, tenantB, deviceA1.deviceId, T0)).rejects.toThrow(NotFoundError);
			await expect(listDevices(db, tenantB, storeA)).rejects.toThrow(NotFoundError);
			await expect(createDevice(db, tenantB, storeA, 'sneaky', T0)).rejects.toThrow(NotFoundError);
			await expect(authenticateDevice(db, keyA1, T0)).resolves.toMatchObject({ tenantId: tenantA });
		});
	});

	describe('QR tokens', () => {
		it('identifies by a card QR once; a replay is token-used', async () => {
			const { token } = await inTx((tx) => issueCardToken(tx, keys, tenantA, anna, T0));
			const card = await inTx((tx) => identifyCustomer(tx, deps, deviceA1, { qr: token }, T0 + 1000));
			expect(card.customer).toEqual({ id: anna, name: 'Анна Петрова' });
			expect(card.scanned).toEqual({ kind: 'card', returnId: null });
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceA2, { qr: token }, T0 + 2000)),
			).rejects.toThrow(TokenUsedError);
		});

		it('refuses an expired, a forged and another tenant’s QR with their own errors', async () => {
			const expired = issueQrToken(
				keys,
				{ tenantId: tenantA, customerId: anna, kind: 'card', ttlSeconds: 120 },
				T0,
			);
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceA1, { qr: expired.token }, T0 + 121_000)),
			).rejects.toThrow(TokenExpiredError);
			const forged = issueQrToken(
				deriveCounterKeys(Buffer.alloc(32, 9)),
				{ tenantId: tenantA, customerId: anna, kind: 'card', ttlSeconds: 120 },
				T0,
			);
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceA1, { qr: forged.token }, T0)),
			).rejects.toThrow(TokenInvalidError);
			const otherTenant = issueQrToken(
				keys,
				{ tenantId: tenantB, customerId: vera, kind: 'card', ttlSeconds: 120 },
				T0,
			);
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceA1, { qr: otherTenant.token }, T0)),
			).rejects.toThrow(TokenInvalidError);
			// Refused tokens were not spent: tenant B's own counter still takes it.
			const card = await inTx((tx) => identifyCustomer(tx, deps, deviceB, { qr: otherTenant.token }, T0));
			expect(card.customer.id).toBe(vera);
		});

		it('spends a token once when two counters scan it at the same moment', async () => {
			const { token } = issueQrToken(
				keys,
				{ tenantId: tenantA, customerId: anna, kind: 'card', ttlSeconds: 120 },
				T0,
			);
			const results = await Promise.allSettled(
				[deviceA1, deviceA2].map((device) =>
					inTx((tx) => spendQrToken(tx, keys, { token, tenantId: tenantA, deviceId: device.deviceId }, T0)),
				),
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(refused.reason).toBeInstanceOf(TokenUsedError);
		});

		it('issues card tokens that live 120 seconds', async () => {
			const issued = await inTx((tx) => issueCardToken(tx, keys, tenantA, boris, T0));
			expect(issued.expiresAt - T0).toBeLessThanOrEqual(CARD_TOKEN_TTL_SECONDS * 1000);
			expect(issued.expiresAt - T0).toBeGreaterThan((CARD_TOKEN_TTL_SECONDS - 1) * 1000);
			await expect(inTx((tx) => issueCardToken(tx, keys, tenantA, vera, T0))).rejects.toThrow(NotFoundError);
		});
	});

	describe('loyalty numbers', () => {
		it('gives a customer one valid in-store EAN-13 for life, found by the counter', async () => {
			const first = await inTx((tx) => loyaltyNumberFor(tx, tenantA, boris, T0));
			expect(isLoyaltyNumber(first)).toBe(true);
			expect(await inTx((tx) => loyaltyNumberFor(tx, tenantA, boris, T0 + 86_400_000))).toBe(first);
			const card = await inTx((tx) =>
				identifyCustomer(tx, deps, deviceA1, { loyalty: `${first.slice(0, 1)} ${first.slice(1)}` }, T0),
			);
			expect(card.customer.id).toBe(boris);
			expect(card.loyaltyNumber).toBe(first);
			const stored = await db
				.selectFrom('identities')
				.select(['type', 'value'])
				.where('tenant_id', '=', tenantA)
				.where('customer_id', '=', boris)
				.where('type', '=', 'loyalty_card')
				.execute();
			expect(stored).toEqual([{ type: 'loyalty_card', value: first }]);
		});

		it('creates one number when two first uses race', async () => {
			const fresh = await customer(tenantA, '1099', '+79165550011', 'Гоша');
			const numbers = await Promise.all([
				inTx((tx) => loyaltyNumberFor(tx, tenantA, fresh, T0)),
				inTx((tx) => loyaltyNumberFor(tx, tenantA, fresh, T0)),
			]);
			expect(numbers[0]).toBe(numbers[1]);
			const rows = await db
				.selectFrom('identities')
				.select('value')
				.where('tenant_id', '=', tenantA)
				.where('customer_id', '=', fresh)
				.where('type', '=', 'loyalty_card')
				.execute();
			expect(rows).toHaveLength(1);
		});

		it('refuses a number with a wrong check digit, and an unknown one', async () => {
			const number = await inTx((tx) => loyaltyNumberFor(tx, tenantA, anna, T0));
			const wrong = `${number.slice(0, 12)}${(Number(number[12]) + 1) % 10}`;
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceA1, { loyalty: wrong }, T0)),
			).rejects.toThrow(ValidationError);
			// Anna's number means nothing at another shop.
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceB, { loyalty: number }, T0)),
			).rejects.toThrow(CustomerUnknownError);
		});
	});

	describe('identify and the card', () => {
		it('finds a customer by a typed phone within the device’s tenant only', async () => {
			const card = await inTx((tx) =>
				identifyCustomer(tx, deps, deviceA1, { phone: '8 (916) 123-45-67' }, T0),
			);
			expect(card.customer.id).toBe(anna);
			expect(card.identities).toContainEqual({ type: 'phone', value: '+7 *** ***-**-67' });
			expect(JSON.stringify(card)).not.toContain('1234567');
			const other = await inTx((tx) => identifyCustomer(tx, deps, deviceB, { phone: '+79161234567' }, T0));
			expect(other.customer.id).toBe(vera);
			await expect(
				inTx((tx) => identifyCustomer(tx, deps, deviceA1, { phone: '+79990001122' }, T0)),
			).rejects.toThrow(CustomerUnknownError);
		});

		it('never shows another tenant’s customer', async () => {
			await expect(inTx((tx) => customerCard(tx, deviceA1, vera, T0))).rejects.toThrow(CustomerUnknownError);
			await expect(inTx((tx) => recordVisit(tx, deps, act(deviceA1), vera, {}))).rejects.toThrow(
				CustomerUnknownError,
			);
		});
	});

	describe('idempotent actions', () => {
		const run = (device: DevicePrincipal, key: string, body: { note?: string }, customerId = anna) =>
			runIdempotent(
				db,
				{
					tenantId: device.tenantId,
					deviceId: device.deviceId,
					actionId: key,
					requestHash: requestHash('POST', `/visits/${customerId}`, body),
				},
				T0,
				async (tx) => ({
					status: 201,
					body: await recordVisit(tx, deps, { device, actionId: key, now: T0 }, customerId, body),
				}),
			);

		it('answers a repeated key with the first response and applies it once', async () => {
			const first = await run(deviceA1, 'tap-1', { note: 'купила шарф' });
			const again = await run(deviceA1, 'tap-1', { note: 'купила шарф' });
			expect(first.replayed).toBe(false);
			expect(again).toEqual({ ...first, replayed: true });
			const visits = (await eventsOf(tenantA, 'pos.visit')).filter((e) => e.source_key.endsWith(':tap-1'));
			expect(visits).toHaveLength(1);
			expect(visits[0]!.channel).toBe('pos');
			expect(JSON.parse(visits[0]!.data)).toEqual({
				locationId: storeA,
				deviceId: deviceA1.deviceId,
				note: 'купила шарф',
			});
			expect(reacted).toContainEqual({ type: 'pos.visit', sourceKey: `pos:${deviceA1.deviceId}:tap-1` });
		});

		it('refuses the same key with another body (422), and scopes keys per device', async () => {
			await run(deviceA1, 'tap-2', {});
			await expect(run(deviceA1, 'tap-2', { note: 'другое' })).rejects.toThrow(IdempotencyKeyReusedError);
			const other = await run(deviceA2, 'tap-2', { note: 'другое' });
			expect(other.replayed).toBe(false);
		});

		it('applies a concurrent double tap once', async () => {
			const results = await Promise.all([1, 2, 3].map(() => run(deviceA1, 'tap-3', { note: 'двойной' })));
			expect(results.filter((r) => !r.replayed)).toHaveLength(1);
			expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
			const visits = (await eventsOf(tenantA, 'pos.visit')).filter((e) => e.source_key.endsWith(':tap-3'));
			expect(visits).toHaveLength(1);
		});

		it('forgets a refused action, so its retry is judged again', async () => {
			await expect(run(deviceA1, 'tap-4', {}, vera)).rejects.toThrow(CustomerUnknownError);
			const row = await db
				.selectFrom('counter_actions')
				.select('action_id')
				.where('action_id', '=', 'tap-4')
				.executeTakeFirst();
			expect(row).toBeUndefined();
		});
	});

	describe('purchases and notes', () => {
		it('records a receipt once per tenant whichever device sends it', async () => {
			const receipt = {
				receiptId: 'R-0001',
				items: [{ name: 'Шарф', quantity: 1, price: '1990.00' }],
				total: '1990.00',
				currency: 'RUB',
			};
			const first = await inTx((tx) => recordPurchase(tx, deps, act(deviceA1), anna, receipt));
			const second = await inTx((tx) => recordPurchase(tx, deps, act(deviceA2), anna, receipt));
			expect(first.duplicate).toBe(false);
			expect(second).toMatchObject({ duplicate: true, eventId: null });
			const purchases = await eventsOf(tenantA, 'pos.purchase');
			expect(purchases.map((e) => e.source_key)).toEqual(['pos:purchase:R-0001']);
			// Another shop's receipt with the same id is its own.
			const elsewhere = await inTx((tx) => recordPurchase(tx, deps, act(deviceB), vera, receipt));
			expect(elsewhere.duplicate).toBe(false);
		});

		it('notes a preference as a note event on the pos channel', async () => {
			const noted = await inTx((tx) => addNote(tx, deps, act(deviceA1), anna, { text: 'любит синий' }));
			const note = await db
				.selectFrom('events')
				.selectAll()
				.where('id', '=', noted.eventId!)
				.executeTakeFirstOrThrow();
			expect(note).toMatchObject({ type: 'note', channel: 'pos', customer_id: anna });
			expect(JSON.parse(note.data)).toEqual({ text: 'любит синий', author: 'counter: Касса 1' });
		});
	});

	describe('promo codes', () => {
		async function code(
			value: string,
			customerId: string | null,
			expiresAt: number | null = null,
			tenantId = tenantA,
		) {
			await db
				.insertInto('promo_codes')
				.values({
					id: newId(T0),
					tenant_id: tenantId,
					campaign_id: null,
					customer_id: customerId,
					code: value,
					issued_at: T0,
					expires_at: expiresAt,
					redeemed_at: null,
					redeemed_location_id: null,
					redeemed_device_id: null,
				})
				.execute();
		}

		it('shows active codes on the card and redeems one once', async () => {
			await code('VK-ANNA-1', anna, T0 + 86_400_000);
			const card = await inTx((tx) => customerCard(tx, deviceA1, anna, T0));
			expect(card.promoCodes.map((c) => c.code)).toContain('VK-ANNA-1');
			const redeemed = await inTx((tx) =>
				redeemPromoCode(tx, deps, act(deviceA1), anna, { code: 'vk-anna-1' }),
			);
			expect(redeemed).toMatchObject({ duplicate: false, code: 'VK-ANNA-1' });
			await expect(
				inTx((tx) => redeemPromoCode(tx, deps, act(deviceA2), anna, { code: 'VK-ANNA-1' })),
			).rejects.toThrow(CodeRedeemedError);
			const row = await db
				.selectFrom('promo_codes')
				.selectAll()
				.where('code', '=', 'VK-ANNA-1')
				.executeTakeFirstOrThrow();
			expect(row).toMatchObject({ redeemed_location_id: storeA, redeemed_device_id: deviceA1.deviceId });
			expect((await eventsOf(tenantA, 'promo.redeemed')).map((e) => JSON.parse(e.data).code)).toEqual([
				'VK-ANNA-1',
			]);
			const after = await inTx((tx) => customerCard(tx, deviceA1, anna, T0));
			expect(after.promoCodes.map((c) => c.code)).not.toContain('VK-ANNA-1');
		});

		it('finds a code typed with spaces, dashes, lower case or Cyrillic look-alikes', async () => {
			await code('TEXAC234', anna, T0 + 86_400_000);
			await code('VKXMP789', anna, T0 + 86_400_000);
			// «тех-ас 234»: every letter Cyrillic (the Russian layout), read out in groups with a dash.
			const first = await inTx((tx) =>
				redeemPromoCode(tx, deps, act(deviceA1), anna, { code: 'тех-ас 234' }),
			);
			expect(first).toMatchObject({ duplicate: false, code: 'TEXAC234' });
			await expect(
				inTx((tx) => redeemPromoCode(tx, deps, act(deviceA2), anna, { code: 'TEX AC 234' })),
			).rejects.toThrow(CodeRedeemedError);
			const second = await inTx((tx) =>
				redeemPromoCode(tx, deps, act(deviceA1), anna, { code: ' vk_хмр-789 ' }),
			);
			expect(second).toMatchObject({ code: 'VKXMP789' });
			expect(
				(await eventsOf(tenantA, 'promo.redeemed')).map((e) => JSON.parse(e.data).code).slice(-2),
			).toEqual(['TEXAC234', 'VKXMP789']);
		});

		it('redeems once when two counters try at the same moment', async () => {
			await code('RACE-1', boris);
			const results = await Promise.allSettled(
				[deviceA1, deviceA2].map((device) =>
					inTx((tx) => redeemPromoCode(tx, deps, act(device), boris, { code: 'RACE-1' })),
				),
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
				CodeRedeemedError,
			);
		});

		it('refuses unknown, expired, another customer’s and another shop’s codes', async () => {
			await code('OLD-1', anna, T0 - 1);
			await code('BORIS-1', boris);
			await code('SHOP-B', null, null, tenantB);
			const redeem = (value: string) =>
				inTx((tx) => redeemPromoCode(tx, deps, act(deviceA1), anna, { code: value }));
			await expect(redeem('NOPE')).rejects.toThrow(CodeUnknownError);
			await expect(redeem('OLD-1')).rejects.toThrow(CodeExpiredError);
			await expect(redeem('BORIS-1')).rejects.toThrow(CodeOtherCustomerError);
			await expect(redeem('SHOP-B')).rejects.toThrow(CodeUnknownError);
		});
	});

	describe('pickups', () => {
		async function pickupOrder(customerId: string, locationId = storeA, tenantId = tenantA) {
			const id = newId(T0);
			await db
				.insertInto('orders')
				.values({
					id,
					tenant_id: tenantId,
					source: 'chat',
					external_id: `chat-${id}`,
					connection_id: null,
					number: `A-${id.slice(-4)}`,
					status: 'created',
					raw_status: 'new',
					status_at: T0,
					customer_id: customerId,
					buyer_known: 1,
					created_at: T0,
					updated_at: T0,
				})
				.execute();
			await db
				.insertInto('order_pickups')
				.values({
					tenant_id: tenantId,
					order_id: id,
					location_id: locationId,
					customer_id: customerId,
					state: 'to_prepare',
					created_at: T0,
					updated_at: T0,
					ready_at: null,
					collected_at: null,
					cancelled_at: null,
					collected_device_id: null,
				})
				.execute();
			return id;
		}

		it('lists, readies (order ready_for_pickup, the customer told) and hands over a pickup order', async () => {
			const orderId = await pickupOrder(anna);
			expect((await listPickups(db, deviceA1, 'to_prepare')).map((p) => p.orderId)).toContain(orderId);
			const ready = await inTx((tx) => markPickupReady(tx, deps, act(deviceA1), orderId));
			expect(ready).toMatchObject({ state: 'ready', orderStatus: 'ready_for_pickup', customerId: anna });
			const again = await inTx((tx) => markPickupReady(tx, deps, act(deviceA1), orderId));
			expect(again.state).toBe('ready');
			const changes = (await eventsOf(tenantA, 'order.status_changed')).map((e) => JSON.parse(e.data));
			expect(changes.filter((d) => d.orderId === `chat-${orderId}`)).toEqual([
				{
					source: 'chat',
					orderId: `chat-${orderId}`,
					number: expect.any(String),
					from: 'created',
					to: 'ready_for_pickup',
					rawStatus: 'ready_for_pickup',
				},
			]);
			expect(reacted.some((r) => r.type === 'order.status_changed')).toBe(true);
			const card = await inTx((tx) => customerCard(tx, deviceA1, anna, T0));
			expect(card.pickups.map((p) => [p.orderId, p.state])).toContainEqual([orderId, 'ready']);

			await expect(inTx((tx) => collectPickup(tx, deps, act(deviceA1), boris, { orderId }))).rejects.toThrow(
				PickupStateError,
			);
			const collected = await inTx((tx) => collectPickup(tx, deps, act(deviceA1), anna, { orderId }));
			expect(collected.pickup).toMatchObject({ state: 'collected', orderStatus: 'delivered' });
			const pickupEvents = (await eventsOf(tenantA, 'pos.pickup')).map((e) => JSON.parse(e.data));
			// The event names the order as the shop calls it, for the timeline's line.
			const number = (
				await db.selectFrom('orders').select('number').where('id', '=', orderId).executeTakeFirstOrThrow()
			).number;
			expect(pickupEvents).toContainEqual({
				orderId,
				orderNumber: number,
				locationId: storeA,
				deviceId: deviceA1.deviceId,
			});
			await expect(inTx((tx) => collectPickup(tx, deps, act(deviceA2), anna, { orderId }))).rejects.toThrow(
				PickupStateError,
			);
			expect((await listPickups(db, deviceA1, undefined)).map((p) => p.orderId)).not.toContain(orderId);
		});

		it('a pickup carries what to hand over: the order number, items and total', async () => {
			const orderId = await pickupOrder(anna);
			const items = [
				{ sku: '7', name: 'Шарф', quantity: 1, price: '1990.00' },
				{ sku: '8', name: 'Варежки', quantity: 2, price: '500.00' },
			];
			await db
				.updateTable('order_pickups')
				.set({ items: JSON.stringify(items), total: '2990.00', currency: 'RUB' })
				.where('order_id', '=', orderId)
				.execute();
			const listed = (await listPickups(db, deviceA1, 'to_prepare')).find((p) => p.orderId === orderId);
			expect(listed).toMatchObject({
				number: expect.stringMatching(/^A-/),
				items,
				total: '2990.00',
				currency: 'RUB',
			});
			const card = await inTx((tx) => customerCard(tx, deviceA1, anna, T0));
			expect(card.pickups.find((p) => p.orderId === orderId)).toMatchObject({ items, total: '2990.00' });
			// A pickup Nitka knows nothing about: no items, no total (never a made-up zero).
			const bare = await pickupOrder(anna);
			expect((await listPickups(db, deviceA1, 'to_prepare')).find((p) => p.orderId === bare)).toMatchObject({
				items: [],
				total: null,
				currency: null,
			});
		});

		it('keeps pickups to their location and tenant', async () => {
			const kiosk = await createLocation(db, tenantA, { name: 'ПВЗ', kind: 'pickup_point' }, T0);
			const elsewhere = await pickupOrder(anna, kiosk.id);
			expect((await listPickups(db, deviceA1, undefined)).map((p) => p.orderId)).not.toContain(elsewhere);
			await expect(inTx((tx) => markPickupReady(tx, deps, act(deviceA1), elsewhere))).rejects.toThrow(
				PickupStateError,
			);
			await expect(
				inTx((tx) => collectPickup(tx, deps, act(deviceA1), anna, { orderId: elsewhere })),
			).rejects.toThrow(PickupStateError);
			await expect(inTx((tx) => markPickupReady(tx, deps, act(deviceB), elsewhere))).rejects.toThrow(
				PickupStateError,
			);
		});
	});

	describe('returns', () => {
		async function approvedReturn(customerId: string) {
			const id = newId(T0);
			await db
				.insertInto('returns')
				.values({
					id,
					tenant_id: tenantA,
					customer_id: customerId,
					order_id: null,
					state: 'approved',
					reason: 'не подошёл размер',
					items: JSON.stringify([{ name: 'Шарф', quantity: 1, price: '1990.00' }]),
					total: '1990.00',
					currency: 'RUB',
					host: null,
					host_ticket_id: null,
					host_ticket_url: null,
					deadline_at: T0 + 14 * 86_400_000,
					created_at: T0,
					updated_at: T0,
					approved_at: T0,
					received_at: null,
					received_location_id: null,
				})
				.execute();
			return id;
		}

		it('receives an approved return by its QR, once', async () => {
			const returnId = await approvedReturn(anna);
			const { token } = issueQrToken(
				keys,
				{ tenantId: tenantA, customerId: anna, kind: 'return', refId: returnId, ttlSeconds: 14 * 86_400 },
				T0,
			);
			const card = await inTx((tx) => customerCard(tx, deviceA1, anna, T0));
			expect(card.returns.map((r) => r.id)).toContain(returnId);
			const received = await inTx((tx) =>
				recordReturn(tx, deps, act(deviceA1), anna, { returnToken: token, items: [] }),
			);
			expect(received).toMatchObject({ returnId, duplicate: false });
			const row = await db
				.selectFrom('returns')
				.selectAll()
				.where('id', '=', returnId)
				.executeTakeFirstOrThrow();
			expect(row).toMatchObject({ state: 'received', received_location_id: storeA });
			const event = (await eventsOf(tenantA, 'pos.return')).find(
				(e) => e.source_key === `pos:return:${returnId}`,
			);
			expect(JSON.parse(event!.data)).toMatchObject({
				reason: 'не подошёл размер',
				total: '1990.00',
				items: [{ name: 'Шарф' }],
			});
			await expect(
				inTx((tx) => recordReturn(tx, deps, act(deviceA1), anna, { returnToken: token, items: [] })),
			).rejects.toThrow(TokenUsedError);
			await expect(
				inTx((tx) => recordReturn(tx, deps, act(deviceA1), anna, { returnId, items: [] })),
			).rejects.toThrow(ReturnStateError);
		});

		it('identifies by a return QR and receives the return it names', async () => {
			const returnId = await approvedReturn(boris);
			const { token } = issueQrToken(
				keys,
				{ tenantId: tenantA, customerId: boris, kind: 'return', refId: returnId, ttlSeconds: 3600 },
				T0,
			);
			const card = await inTx((tx) => identifyCustomer(tx, deps, deviceA1, { qr: token }, T0));
			expect(card.scanned).toEqual({ kind: 'return', returnId });
			await expect(
				inTx((tx) => recordReturn(tx, deps, act(deviceA1), anna, { returnId, items: [] })),
			).rejects.toThrow(ReturnStateError);
			const received = await inTx((tx) =>
				recordReturn(tx, deps, act(deviceA1), boris, { returnId, items: [] }),
			);
			expect(received.returnId).toBe(returnId);
		});

		it('refuses a card QR as a return QR', async () => {
			const { token } = issueQrToken(
				keys,
				{ tenantId: tenantA, customerId: anna, kind: 'card', ttlSeconds: 60 },
				T0,
			);
			await expect(
				inTx((tx) => recordReturn(tx, deps, act(deviceA1), anna, { returnToken: token, items: [] })),
			).rejects.toThrow(TokenInvalidError);
		});

		it('records goods returned over the counter without a return request', async () => {
			const done = await inTx((tx) =>
				recordReturn(tx, deps, act(deviceA1), anna, {
					receiptId: 'R-0001',
					items: [{ name: 'Шарф', quantity: 1, price: '1990.00' }],
					total: '1990.00',
					reason: 'брак',
				}),
			);
			expect(done.duplicate).toBe(false);
		});
	});
});
