import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import {
	createCustomer,
	mergeCustomers,
} from '../../../../connector-server/src/core/identity/identity-graph.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import * as migration from '../../../../connector-server/src/db/migrations/0012-woocommerce-claims.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const AT = Date.parse('2026-11-01T10:00:00Z');

// Rows as the identity graph stored them before trust levels: 1 proven, 0 everything else; the
// source is the channel of the batch's first event, `nitka` for a batch without events.
describe.each(dialects)(
	'migration 0012: stored WooCommerce billing email and phone become claims on %s',
	(dialect) => {
		let database: TestDatabase;
		beforeAll(async () => {
			database = await createTestDatabase(dialect);
		});
		afterAll(async () => {
			await database?.drop();
		});

		async function identity(
			db: Db,
			tenantId: string,
			customerId: string,
			row: { type: string; value: string; verified: number; source: string },
		) {
			const id = newId(AT);
			await db
				.insertInto('identities')
				.values({ id, tenant_id: tenantId, customer_id: customerId, created_at: AT, ...row })
				.execute();
			return id;
		}

		it('downgrades exactly the WooCommerce email and phone at 0', async () => {
			const db = database.db;
			const tenant = await makeTenant(db, 'woocommerce');
			const guest = await createCustomer(db, tenant.id, AT);
			const account = await createCustomer(db, tenant.id, AT);
			const accountRoot = await createCustomer(db, tenant.id, AT - 1);
			const crm = await createCustomer(db, tenant.id, AT);
			const buyer = await createCustomer(db, tenant.id, AT);
			const stranger = await createCustomer(db, tenant.id, AT);
			// A signed-in customer's account merged into an older customer: its profile update's email
			// went to the root (`nitka`), the account id sits on the merged member.
			await mergeCustomers(db, {
				tenantId: tenant.id,
				survivorId: accountRoot,
				mergedId: account,
				rule: 'shared-identifier',
				evidence: { identifiers: [] },
				at: AT,
			});
			const rows = {
				guestEmail: await identity(db, tenant.id, guest, {
					type: 'email',
					value: 'anna@mail.ru',
					verified: 0,
					source: 'woocommerce',
				}),
				guestPhone: await identity(db, tenant.id, guest, {
					type: 'phone',
					value: '+79161110001',
					verified: 0,
					source: 'woocommerce',
				}),
				provenPhone: await identity(db, tenant.id, guest, {
					type: 'phone',
					value: '+79161110002',
					verified: 1,
					source: 'woocommerce',
				}),
				wooAccount: await identity(db, tenant.id, account, {
					type: 'woocommerce_customer',
					value: '17',
					verified: 1,
					source: 'woocommerce',
				}),
				profileEmail: await identity(db, tenant.id, accountRoot, {
					type: 'email',
					value: 'oleg@mail.ru',
					verified: 0,
					source: 'nitka',
				}),
				bitrixPhone: await identity(db, tenant.id, crm, {
					type: 'phone',
					value: '+79161110003',
					verified: 0,
					source: 'host',
				}),
				bitrixContact: await identity(db, tenant.id, crm, {
					type: 'bitrix24_contact',
					value: '5',
					verified: 0,
					source: 'host',
				}),
				ozonBuyer: await identity(db, tenant.id, buyer, {
					type: 'ozon_buyer',
					value: '88',
					verified: 0,
					source: 'ozon',
				}),
				otherNitkaEmail: await identity(db, tenant.id, stranger, {
					type: 'email',
					value: 'x@mail.ru',
					verified: 0,
					source: 'nitka',
				}),
				telegram: await identity(db, tenant.id, stranger, {
					type: 'telegram',
					value: '42',
					verified: 1,
					source: 'telegram',
				}),
			};
			const trust = async () => {
				const found = await db
					.selectFrom('identities')
					.select(['id', 'verified'])
					.where('tenant_id', '=', tenant.id)
					.execute();
				const byId = new Map(found.map((row) => [row.id, Number(row.verified)]));
				return Object.fromEntries(Object.entries(rows).map(([name, id]) => [name, byId.get(id)]));
			};
			const before = await trust();

			await migration.up(db as never);
			expect(await trust()).toEqual({
				...before,
				guestEmail: -1,
				guestPhone: -1,
				profileEmail: -1,
			});
			// Running it again changes nothing more.
			await migration.up(db as never);
			expect((await trust()).guestEmail).toBe(-1);

			await migration.down(db as never);
			expect(await trust()).toEqual(before);
		});

		it('is registered: a fresh database records it as applied', async () => {
			const applied = await database.db
				.selectFrom('kysely_migration' as never)
				.select('name' as never)
				.execute();
			expect((applied as { name: string }[]).map((row) => row.name)).toContain('0012-woocommerce-claims');
		});
	},
);
