import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCustomerView } from '../../../../connector-server/src/core/customers/customer-view.ts';
import { unmerge } from '../../../../connector-server/src/core/customers/merge-service.ts';
import { ConflictError, NotFoundError } from '../../../../connector-server/src/core/errors.ts';
import { readTimeline } from '../../../../connector-server/src/core/events/event-store.ts';
import { findCustomerByIdentifier } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { unlinkIdentity } from '../../../../connector-server/src/core/identity/unlink-identity.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { graphViolations, ingestMessage } from './graph-helpers.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

async function identityId(db: Db, tenantId: string, type: string, value: string): Promise<string> {
	const row = await db
		.selectFrom('identities')
		.select('id')
		.where('tenant_id', '=', tenantId)
		.where('type', '=', type)
		.where('value', '=', value)
		.executeTakeFirstOrThrow();
	return row.id;
}

describe.each(dialects)('unlinking an identifier on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('moves the identity to a new customer of its own and records identity.unlinked', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const first = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '700' },
				{ type: 'phone', value: '+79161112233' },
			],
			T0,
		);
		const phone = await identityId(db, tenant.id, 'phone', '+79161112233');
		const before = await db
			.selectFrom('identities')
			.select('id')
			.where('tenant_id', '=', tenant.id)
			.execute();

		const result = await unlinkIdentity(db, {
			tenantId: tenant.id,
			customerId: first.customerId,
			identityId: phone,
			at: T0 + 1000,
		});
		expect(result.previousCustomerId).toBe(first.customerId);
		expect(result.customerId).not.toBe(first.customerId);
		// Nothing deleted: the row moved, and each identifier resolves to exactly one customer.
		const after = await db.selectFrom('identities').select('id').where('tenant_id', '=', tenant.id).execute();
		expect(after).toHaveLength(before.length);
		expect(await findCustomerByIdentifier(db, tenant.id, 'phone', '+79161112233')).toBe(result.customerId);
		expect(await findCustomerByIdentifier(db, tenant.id, 'telegram', '700')).toBe(first.customerId);
		expect((await getCustomerView(db, tenant.id, first.customerId)).identities.map((i) => i.type)).toEqual([
			'telegram',
		]);
		const page = await readTimeline(db, tenant.id, first.customerId, { limit: 50 });
		const unlinked = page.items.find((e) => e.type === 'identity.unlinked');
		expect(unlinked?.data).toMatchObject({
			identityId: phone,
			type: 'phone',
			newCustomerId: result.customerId,
		});
		expect(JSON.stringify(unlinked?.data)).not.toContain('+79161112233');
		expect(await graphViolations(db, tenant.id)).toEqual([]);

		// The phone's next message lands on its new customer, not back on the old one.
		const next = await ingestMessage(db, tenant.id, [{ type: 'phone', value: '89161112233' }], T0 + 2000);
		expect(next.customerId).toBe(result.customerId);
		expect(next.merged).toEqual([]);
	});

	it("refuses the customer's last identifier (409)", async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const only = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '701' }], T0);
		const id = await identityId(db, tenant.id, 'telegram', '701');
		await expect(
			unlinkIdentity(db, { tenantId: tenant.id, customerId: only.customerId, identityId: id, at: T0 + 1 }),
		).rejects.toBeInstanceOf(ConflictError);
		expect(await findCustomerByIdentifier(db, tenant.id, 'telegram', '701')).toBe(only.customerId);
	});

	it('unlinks from a merged tree through either id, and the merge still undoes exactly', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const tg = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'telegram', value: '702' },
				{ type: 'phone', value: '+79162223344' },
			],
			T0,
		);
		const vk = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'vk', value: '902' },
				{ type: 'email', value: 'anna@mail.ru' },
			],
			T0 + 1000,
		);
		const bridge = await ingestMessage(
			db,
			tenant.id,
			[
				{ type: 'vk', value: '902' },
				{ type: 'phone', value: '+79162223344' },
			],
			T0 + 2000,
		);
		expect(bridge.merged).toEqual([vk.customerId]);
		// The email lives on the merged member; the survivor's id reaches it.
		const email = await identityId(db, tenant.id, 'email', 'anna@mail.ru');
		const result = await unlinkIdentity(db, {
			tenantId: tenant.id,
			customerId: tg.customerId,
			identityId: email,
			at: T0 + 3000,
		});
		expect(result.previousCustomerId).toBe(vk.customerId);
		expect(await findCustomerByIdentifier(db, tenant.id, 'email', 'anna@mail.ru')).toBe(result.customerId);
		const survivorTimeline = await readTimeline(db, tenant.id, tg.customerId, { limit: 50 });
		expect(survivorTimeline.items.some((e) => e.type === 'identity.unlinked')).toBe(true);
		expect(await graphViolations(db, tenant.id)).toEqual([]);

		const merged = survivorTimeline.items.find((e) => e.type === 'customer.merged');
		const mergeId = merged?.type === 'customer.merged' ? merged.data.mergeId : '';
		await unmerge(db, tenant.id, mergeId, T0 + 4000);
		expect(await findCustomerByIdentifier(db, tenant.id, 'vk', '902')).toBe(vk.customerId);
		expect(await findCustomerByIdentifier(db, tenant.id, 'email', 'anna@mail.ru')).toBe(result.customerId);
		expect(await graphViolations(db, tenant.id)).toEqual([]);
	});

	it("is scoped by tenant: another tenant's customer or identity is not found", async () => {
		const { db } = database;
		const mine = await makeTenant(db);
		const theirs = await makeTenant(db);
		const a = await ingestMessage(
			db,
			mine.id,
			[
				{ type: 'telegram', value: '703' },
				{ type: 'phone', value: '+79163334455' },
			],
			T0,
		);
		const b = await ingestMessage(
			db,
			theirs.id,
			[
				{ type: 'telegram', value: '704' },
				{ type: 'phone', value: '+79164445566' },
			],
			T0,
		);
		const theirPhone = await identityId(db, theirs.id, 'phone', '+79164445566');
		await expect(
			unlinkIdentity(db, { tenantId: mine.id, customerId: a.customerId, identityId: theirPhone, at: T0 + 1 }),
		).rejects.toBeInstanceOf(NotFoundError);
		await expect(
			unlinkIdentity(db, { tenantId: mine.id, customerId: b.customerId, identityId: theirPhone, at: T0 + 1 }),
		).rejects.toBeInstanceOf(NotFoundError);
		expect(await findCustomerByIdentifier(db, theirs.id, 'phone', '+79164445566')).toBe(b.customerId);
		expect(await graphViolations(db, theirs.id)).toEqual([]);
	});
});
