import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { createCustomer } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import * as migration from '../../../../connector-server/src/db/migrations/0014-pickup-contents.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const AT = Date.parse('2026-11-20T10:00:00Z');

// Pickups made before 0014 had no items or total of their own: they get their chat order's cart.
describe.each(dialects)('migration 0014: a pickup carries its items and total (%s)', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('backfills pickups from their chat orders; others stay empty', async () => {
		const db = database.db;
		const tenant = await makeTenant(db);
		const customer = await createCustomer(db, tenant.id, AT);
		const location = newId(AT);
		await db
			.insertInto('locations')
			.values({
				id: location,
				tenant_id: tenant.id,
				name: 'Покровка',
				address: null,
				kind: 'store',
				active: 1,
				created_at: AT,
				updated_at: AT,
			})
			.execute();
		const order = async (number: string) => {
			const id = newId(AT);
			await db
				.insertInto('orders')
				.values({
					id,
					tenant_id: tenant.id,
					source: 'chat',
					external_id: `chat-${id}`,
					connection_id: null,
					number,
					status: 'created',
					raw_status: 'NEW',
					status_at: AT,
					customer_id: customer,
					buyer_known: 1,
					created_at: AT,
					updated_at: AT,
				})
				.execute();
			await db
				.insertInto('order_pickups')
				.values({
					tenant_id: tenant.id,
					order_id: id,
					location_id: location,
					customer_id: customer,
					state: 'to_prepare',
					created_at: AT,
					updated_at: AT,
					ready_at: null,
					collected_at: null,
					cancelled_at: null,
					collected_device_id: null,
				})
				.execute();
			return id;
		};
		const fromChat = await order('501');
		const elsewhere = await order('502');
		await db
			.insertInto('chat_orders')
			.values({
				id: newId(AT),
				tenant_id: tenant.id,
				customer_id: customer,
				channel: 'telegram',
				connection_id: 'conn-1',
				chat_id: '7001',
				state: 'placed',
				shown: '[]',
				pending: null,
				items: JSON.stringify([
					{ id: '101', name: 'Чай', price: '450.50', currency: 'RUB', url: null, quantity: 2 },
					{ id: '102', name: 'Мёд', price: '300.00', currency: 'RUB', url: null, quantity: 1 },
				]),
				location_id: location,
				host: 'bitrix24',
				order_id: fromChat,
				number: '501',
				error: null,
				created_at: AT,
				updated_at: AT,
				placed_at: AT,
			})
			.execute();

		// As before 0014, then 0014 itself.
		await migration.down(db as never);
		await migration.up(db as never);

		const rows = await db
			.selectFrom('order_pickups')
			.select(['order_id', 'items', 'total', 'currency'])
			.where('tenant_id', '=', tenant.id)
			.execute();
		const byOrder = new Map(rows.map((row) => [row.order_id, row]));
		expect(JSON.parse(byOrder.get(fromChat)!.items)).toEqual([
			{ sku: '101', name: 'Чай', quantity: 2, price: '450.50' },
			{ sku: '102', name: 'Мёд', quantity: 1, price: '300.00' },
		]);
		expect(byOrder.get(fromChat)).toMatchObject({ total: '1201.00', currency: 'RUB' });
		expect(byOrder.get(elsewhere)).toEqual({ order_id: elsewhere, items: '[]', total: null, currency: null });
	});
});
