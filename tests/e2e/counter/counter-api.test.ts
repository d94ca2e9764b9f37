import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../connector-server/src/core/clock.ts';
import { resolveCustomer } from '../../../connector-server/src/core/identity/identity-graph.ts';
import type { EventReactor } from '../../../connector-server/src/core/ingest/ingest.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../support/databases.ts';
import { seedTelegramTenant, startTestServer, type TestServer } from '../../support/server.ts';

/** The counter through its HTTP API: a shop sets up a store and a tablet, staff serve a customer. */
describe.each(dialects)('counter HTTP API (%s, workers on)', (dialect) => {
	let t: TestServer;
	let database: TestDatabase | undefined;
	let seed: Awaited<ReturnType<typeof seedTelegramTenant>>;
	let deviceKey: string;
	let deviceId: string;
	let locationId: string;
	let customerId: string;
	let keySeq = 0;
	// The server's reactors (notifications, host updates) see counter events like any channel's.
	const reacted: { type: string; channel: string }[] = [];
	const spy: EventReactor = async (stored) => {
		for (const s of stored) reacted.push({ type: s.event.type, channel: s.event.channel });
		return [];
	};
	const nextKey = () => `e2e-${++keySeq}`;

	beforeAll(async () => {
		database = dialect === 'postgres' ? await createTestDatabase('postgres') : undefined;
		t = await startTestServer(database ? { DATABASE_URL: database.url } : {}, {
			counterIdentifyLimit: { windowMs: 60_000, limit: 3 },
			reactors: [spy],
		});
		seed = await seedTelegramTenant(t.server);
		customerId = (
			await resolveCustomer(t.server.db, {
				tenantId: seed.tenant.id,
				identifiers: [
					{ type: 'telegram', value: '4242' },
					{ type: 'phone', value: '+79161234567', verified: true },
				],
				source: 'telegram',
				profile: { name: 'Анна Петрова', source: 'messenger' },
				at: t.server.clock.now(),
			})
		).customerId;
	});
	afterAll(async () => {
		await t?.stop();
		await database?.drop();
	});

	const admin = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
		fetch(`${t.url}/api/v1/tenants/${seed.tenant.id}${path}`, {
			method: init.method ?? 'GET',
			headers: { authorization: `Bearer ${init.key ?? seed.apiKey}`, 'content-type': 'application/json' },
			...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
		});
	const counter = (
		path: string,
		init: { method?: string; body?: unknown; key?: string | null; idempotencyKey?: string | null } = {},
	) =>
		fetch(`${t.url}/api/v1/counter${path}`, {
			method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
			headers: {
				...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? deviceKey}` }),
				'content-type': 'application/json',
				...(init.idempotencyKey === null
					? {}
					: init.idempotencyKey || init.body !== undefined || init.method === 'POST'
						? { 'idempotency-key': init.idempotencyKey ?? nextKey() }
						: {}),
			},
			...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
		});

	it('lets the shop create a store and a tablet key, shown once', async () => {
		const created = await admin('/locations', {
			method: 'POST',
			body: { name: 'Магазин на Тверской', address: 'Тверская, 1', kind: 'store' },
		});
		expect(created.status).toBe(201);
		locationId = ((await created.json()) as { id: string }).id;
		const device = await admin(`/locations/${locationId}/devices`, {
			method: 'POST',
			body: { name: 'Касса 1' },
		});
		expect(device.status).toBe(201);
		const body = (await device.json()) as { device: { id: string }; key: string };
		expect(body.key).toMatch(/^nkc_/);
		deviceKey = body.key;
		deviceId = body.device.id;
		const listed = await (await admin(`/locations/${locationId}/devices`)).text();
		expect(listed).toContain(deviceId);
		expect(listed).not.toContain(deviceKey.split('_')[2]!);
		const session = await counter('/session');
		expect(session.status).toBe(200);
		expect(await session.json()).toMatchObject({
			device: { id: deviceId, name: 'Касса 1' },
			location: { id: locationId, name: 'Магазин на Тверской', kind: 'store', active: true },
			shop: { id: seed.tenant.id, name: 'Demo shop' },
		});
	});

	it('refuses requests without a device key, and API keys and device keys in each other’s place', async () => {
		const anonymous = await counter('/session', { key: null });
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
		expect((await counter('/session', { key: seed.apiKey })).status).toBe(401);
		expect((await admin('/locations', { key: deviceKey })).status).toBe(401);
	});

	it('identifies by the customer’s QR once; a retry answers the same card; a replay is refused', async () => {
		const issued = await admin(`/customers/${customerId}/card-token`, { method: 'POST' });
		expect(issued.status).toBe(201);
		const { token, loyaltyNumber } = (await issued.json()) as { token: string; loyaltyNumber: string };
		expect(token).toMatch(/^nq1\./);
		expect(loyaltyNumber).toMatch(/^2\d{12}$/);

		const first = await counter('/identify', { body: { qr: token }, idempotencyKey: 'scan-1' });
		expect(first.status).toBe(200);
		const card = (await first.json()) as {
			customer: { id: string; name: string };
			identities: { type: string; value: string }[];
			loyaltyNumber: string;
		};
		expect(card.customer).toEqual({ id: customerId, name: 'Анна Петрова' });
		expect(card.loyaltyNumber).toBe(loyaltyNumber);
		expect(card.identities).toContainEqual({ type: 'phone', value: '+7 *** ***-**-67' });

		const retry = await counter('/identify', { body: { qr: token }, idempotencyKey: 'scan-1' });
		expect(retry.status).toBe(200);
		expect(retry.headers.get('idempotent-replayed')).toBe('true');
		expect(await retry.json()).toEqual(card);

		const replay = await counter('/identify', { body: { qr: token } });
		expect(replay.status).toBe(409);
		expect(await replay.json()).toMatchObject({ code: 'token-used', status: 409 });

		const forged = await counter('/identify', { body: { qr: `${token.slice(0, -4)}AAAA` } });
		expect(forged.status).toBe(400);
		expect(await forged.json()).toMatchObject({ code: 'token-invalid' });
	});

	it('asks for an Idempotency-Key on every action, and refuses a key reused for another body', async () => {
		const missing = await counter(`/customers/${customerId}/visits`, { body: {}, idempotencyKey: null });
		expect(missing.status).toBe(400);
		expect(await missing.json()).toMatchObject({ code: 'idempotency-key-required' });
		const receipt = {
			receiptId: 'Z-100',
			items: [{ name: 'Шарф', quantity: 1, price: '1990.00' }],
			total: '1990.00',
		};
		const bought = await counter(`/customers/${customerId}/purchases`, {
			body: receipt,
			idempotencyKey: 'buy-1',
		});
		expect(bought.status).toBe(201);
		expect(await bought.json()).toMatchObject({ duplicate: false, customerId });
		const reused = await counter(`/customers/${customerId}/purchases`, {
			body: { ...receipt, total: '10.00' },
			idempotencyKey: 'buy-1',
		});
		expect(reused.status).toBe(422);
		expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
		const again = await counter(`/customers/${customerId}/purchases`, { body: receipt });
		expect(await again.json()).toMatchObject({ duplicate: true, eventId: null });
	});

	it('applies a concurrent double tap once', async () => {
		const taps = await Promise.all(
			[1, 2, 3].map(() =>
				counter(`/customers/${customerId}/visits`, {
					body: { note: 'двойной тап' },
					idempotencyKey: 'visit-tap',
				}),
			),
		);
		expect(taps.map((r) => r.status)).toEqual([201, 201, 201]);
		const bodies = await Promise.all(taps.map((r) => r.json()));
		expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
		expect(taps.filter((r) => r.headers.get('idempotent-replayed') === 'false')).toHaveLength(1);
		const visits = await t.server.db
			.selectFrom('events')
			.select('id')
			.where('tenant_id', '=', seed.tenant.id)
			.where('type', '=', 'pos.visit')
			.execute();
		expect(visits).toHaveLength(1);
	});

	it('redeems a promo code once and notes a preference', async () => {
		await t.server.db
			.insertInto('promo_codes')
			.values({
				id: newId(),
				tenant_id: seed.tenant.id,
				campaign_id: null,
				customer_id: customerId,
				code: 'VK-2026-ANNA',
				issued_at: t.server.clock.now(),
				expires_at: null,
				redeemed_at: null,
				redeemed_location_id: null,
				redeemed_device_id: null,
			})
			.execute();
		const card = (await (await counter(`/customers/${customerId}`)).json()) as {
			promoCodes: { code: string }[];
		};
		expect(card.promoCodes.map((c) => c.code)).toEqual(['VK-2026-ANNA']);
		const redeemed = await counter(`/customers/${customerId}/promo-redemptions`, {
			body: { code: 'VK-2026-ANNA' },
		});
		expect(redeemed.status).toBe(201);
		const twice = await counter(`/customers/${customerId}/promo-redemptions`, {
			body: { code: 'VK-2026-ANNA' },
		});
		expect(twice.status).toBe(409);
		expect(await twice.json()).toMatchObject({ code: 'code-redeemed' });
		expect(
			(await counter(`/customers/${customerId}/notes`, { body: { text: 'любит синий цвет' } })).status,
		).toBe(201);
		const timeline = (await (await admin(`/customers/${customerId}/timeline`)).json()) as {
			items: { type: string; channel: string }[];
		};
		expect(timeline.items.filter((e) => e.channel === 'pos').map((e) => e.type)).toEqual(
			expect.arrayContaining(['pos.purchase', 'promo.redeemed', 'note']),
		);
	});

	it('prepares and hands over a pickup order', async () => {
		const orderId = newId();
		const now = t.server.clock.now();
		await t.server.db
			.insertInto('orders')
			.values({
				id: orderId,
				tenant_id: seed.tenant.id,
				source: 'chat',
				external_id: 'chat-1',
				connection_id: null,
				number: 'Ч-1',
				status: 'created',
				raw_status: 'new',
				status_at: now,
				customer_id: customerId,
				buyer_known: 1,
				created_at: now,
				updated_at: now,
			})
			.execute();
		await t.server.db
			.insertInto('order_pickups')
			.values({
				tenant_id: seed.tenant.id,
				order_id: orderId,
				location_id: locationId,
				customer_id: customerId,
				state: 'to_prepare',
				created_at: now,
				updated_at: now,
				ready_at: null,
				collected_at: null,
				cancelled_at: null,
				collected_device_id: null,
			})
			.execute();
		const list = (await (await counter('/pickups?state=to_prepare')).json()) as {
			items: { orderId: string }[];
		};
		expect(list.items.map((p) => p.orderId)).toEqual([orderId]);
		const ready = await counter(`/pickups/${orderId}/ready`, { method: 'POST' });
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({
			state: 'ready',
			number: 'Ч-1',
			orderStatus: 'ready_for_pickup',
		});
		const collected = await counter(`/customers/${customerId}/pickups`, { body: { orderId } });
		expect(collected.status).toBe(201);
		expect(await collected.json()).toMatchObject({
			pickup: { state: 'collected', orderStatus: 'delivered' },
		});
		expect((await (await counter('/pickups')).json()) as { items: unknown[] }).toEqual({ items: [] });
		expect(reacted).toEqual(
			expect.arrayContaining([
				{ type: 'order.status_changed', channel: 'pos' },
				{ type: 'pos.pickup', channel: 'pos' },
				{ type: 'pos.purchase', channel: 'pos' },
				{ type: 'promo.redeemed', channel: 'pos' },
			]),
		);
	});

	it('limits lookups by phone per device, but not QR scans', async () => {
		const byPhone = () => counter('/identify', { body: { phone: '+79161234567' } });
		const answers: number[] = [];
		for (let i = 0; i < 4; i += 1) answers.push((await byPhone()).status);
		expect(answers).toEqual([200, 200, 200, 429]);
		const issued = (await (
			await admin(`/customers/${customerId}/card-token`, { method: 'POST' })
		).json()) as {
			token: string;
		};
		expect((await counter('/identify', { body: { qr: issued.token } })).status).toBe(200);
	});

	it('lists the counter routes in the OpenAPI document', async () => {
		const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
			paths: Record<
				string,
				Record<string, { security?: unknown; parameters?: { name: string; in: string }[] }>
			>;
		};
		expect(doc.paths['/api/v1/counter/identify']?.post?.security).toEqual([{ counterDevice: [] }]);
		expect(doc.paths['/api/v1/counter/identify']?.post?.parameters).toContainEqual(
			expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
		);
		expect(doc.paths['/api/v1/tenants/{tenantId}/locations/{locationId}/devices']?.post).toBeDefined();
	});

	it('refuses a revoked device at once', async () => {
		const revoked = await admin(`/devices/${deviceId}`, { method: 'DELETE' });
		expect(revoked.status).toBe(200);
		expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
		const refused = await counter('/session');
		expect(refused.status).toBe(401);
		expect(await refused.json()).toMatchObject({ code: 'unauthenticated' });
	});
});
