import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';

describe.each(dialects)('counter migration (%s)', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database.drop();
	});

	it('creates every counter table', async () => {
		const tables = (await database.db.introspection.getTables()).map((table) => table.name);
		for (const name of [
			'locations',
			'counter_devices',
			'counter_token_uses',
			'counter_actions',
			'promo_campaigns',
			'promo_codes',
			'order_pickups',
			'returns',
		]) {
			expect(tables).toContain(name);
		}
	});
});
