import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { NotFoundError } from '../../../../connector-server/src/core/errors.ts';
import { appendEvent } from '../../../../connector-server/src/core/events/event-store.ts';
import { createCustomer } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { issueLinkToken } from '../../../../connector-server/src/core/links/link-tokens.ts';
import { insertOrder } from '../../../../connector-server/src/core/orders/order-repository.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

async function marketplaceOrder(db: Db, tenantId: string, externalId: string, at: number) {
	const customerId = await createCustomer(db, tenantId, at);
	await insertOrder(db, {
		id: newId(at),
		tenant_id: tenantId,
		source: 'ozon',
		external_id: externalId,
		connection_id: null,
		number: externalId,
		status: 'created',
		raw_status: 'awaiting_packaging',
		status_at: at,
		customer_id: customerId,
		buyer_known: 0,
		created_at: at,
		updated_at: at,
	});
	return customerId;
}

async function woocommerceOrder(db: Db, tenantId: string, orderId: string, at: number) {
	const customerId = await createCustomer(db, tenantId, at);
	await appendEvent(db, {
		tenantId,
		customerId,
		type: 'order.created',
		channel: 'woocommerce',
		occurredAt: at,
		recordedAt: at,
		sourceKey: `woocommerce:order:${orderId}:created`,
		data: {
			source: 'woocommerce',
			orderId,
			number: orderId,
			status: 'created',
			rawStatus: 'pending',
			currency: 'RUB',
			items: [],
		},
	});
	return customerId;
}

describe.each(dialects)('link tokens for an order on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('binds a token to the customer of a marketplace order, found in the orders table', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const other = await makeTenant(db);
		const customerId = await marketplaceOrder(db, tenant.id, '12345678-0001-1', T0);
		await marketplaceOrder(db, other.id, '12345678-0001-2', T0);
		const issued = await issueLinkToken(
			db,
			{ tenantId: tenant.id, orderId: '12345678-0001-1', ttlSeconds: 60 },
			T0,
		);
		expect(issued.customerId).toBe(customerId);
		await expect(
			issueLinkToken(db, { tenantId: tenant.id, orderId: '12345678-0001-2', ttlSeconds: 60 }, T0),
		).rejects.toBeInstanceOf(NotFoundError);
	});

	it('binds a token to the customer of a WooCommerce order, found by its created event', async () => {
		const { db } = database;
		const tenant = await makeTenant(db, 'woocommerce');
		const customerId = await woocommerceOrder(db, tenant.id, '1042', T0);
		const issued = await issueLinkToken(db, { tenantId: tenant.id, orderId: '1042', ttlSeconds: 60 }, T0);
		expect(issued.customerId).toBe(customerId);
		const row = await db
			.selectFrom('link_tokens')
			.select(['customer_id', 'order_id'])
			.where('tenant_id', '=', tenant.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ customer_id: customerId, order_id: '1042' });
	});

	it('takes the newest order when two sources share the id, and refuses an unknown one', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		await woocommerceOrder(db, tenant.id, '77', T0);
		const newer = await marketplaceOrder(db, tenant.id, '77', T0 + 1000);
		const issued = await issueLinkToken(db, { tenantId: tenant.id, orderId: '77', ttlSeconds: 60 }, T0);
		expect(issued.customerId).toBe(newer);
		await expect(
			issueLinkToken(db, { tenantId: tenant.id, orderId: '78', ttlSeconds: 60 }, T0),
		).rejects.toBeInstanceOf(NotFoundError);
	});
});
