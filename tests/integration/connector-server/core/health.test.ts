import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { connectionFlows } from '../../../../connector-server/src/core/inbox/inbox-health.ts';
import { oldestPendingAge } from '../../../../connector-server/src/core/outbox/outbox-health.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
let key = 0;

async function inboxItem(db: Db, tenantId: string, connectionId: string, receivedAt: number, status: string) {
	key += 1;
	await db
		.insertInto('inbox')
		.values({
			id: newId(receivedAt),
			tenant_id: tenantId,
			connection_id: connectionId,
			source: 'telegram',
			source_key: `health:${key}`,
			payload: '{}',
			headers: '{}',
			received_at: receivedAt,
			status,
			attempts: 0,
			error: null,
			processed_at: status === 'pending' ? null : receivedAt,
		})
		.execute();
}

async function marketplaceItem(
	db: Db,
	tenantId: string,
	connectionId: string,
	receivedAt: number,
	status: string,
) {
	key += 1;
	await db
		.insertInto('marketplace_inbox')
		.values({
			id: newId(receivedAt),
			tenant_id: tenantId,
			connection_id: connectionId,
			source: 'ozon',
			source_key: `health:${key}`,
			payload: '{}',
			received_at: receivedAt,
			status,
			attempts: 0,
			error: null,
			processed_at: status === 'pending' ? null : receivedAt,
		})
		.execute();
}

async function outboxJob(db: Db, tenantId: string, createdAt: number, status: string) {
	await db
		.insertInto('outbox')
		.values({
			id: newId(createdAt),
			tenant_id: tenantId,
			target: 'telegram',
			kind: 'health-test',
			payload: '{}',
			dedupe_key: null,
			status,
			attempts: 0,
			max_attempts: 8,
			next_attempt_at: createdAt,
			last_error: null,
			created_at: createdAt,
			updated_at: createdAt,
		})
		.execute();
}

describe.each(dialects)('health figures on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('per connection: the newest item received, and the oldest pending item’s age (0 when none)', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const other = await makeTenant(db);
		await inboxItem(db, tenant.id, 'bot', NOW - 90_000, 'pending');
		await inboxItem(db, tenant.id, 'bot', NOW - 30_000, 'pending');
		await inboxItem(db, tenant.id, 'bot', NOW - 5_000, 'processed');
		await inboxItem(db, tenant.id, 'quiet', NOW - 60_000, 'processed');
		await inboxItem(db, tenant.id, 'quiet', NOW - 40_000, 'quarantined');
		await marketplaceItem(db, tenant.id, 'shop', NOW - 20_000, 'pending');
		await inboxItem(db, other.id, 'bot', NOW - 1_000, 'pending');

		const flows = await connectionFlows(db, tenant.id, NOW);
		expect(flows.get('bot')).toEqual({ lastEventAt: NOW - 5_000, lagSeconds: 90 });
		expect(flows.get('quiet')).toEqual({ lastEventAt: NOW - 40_000, lagSeconds: 0 });
		expect(flows.get('shop')).toEqual({ lastEventAt: NOW - 20_000, lagSeconds: 20 });
		expect(flows.has('never')).toBe(false);
	});

	it('the outbox’s oldest pending job age, 0 when nothing waits', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		expect(await oldestPendingAge(db, tenant.id, NOW)).toBe(0);
		await outboxJob(db, tenant.id, NOW - 120_000, 'done');
		await outboxJob(db, tenant.id, NOW - 45_000, 'pending');
		await outboxJob(db, tenant.id, NOW - 10_000, 'pending');
		await outboxJob(db, tenant.id, NOW - 300_000, 'dead');
		expect(await oldestPendingAge(db, tenant.id, NOW)).toBe(45);
	});
});
