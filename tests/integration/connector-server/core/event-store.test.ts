import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent, readTimeline } from '../../../../connector-server/src/core/events/event-store.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { ingestMessage } from './graph-helpers.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

describe.each(dialects)('event store on %s', (dialect) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('a second event with the same source key is a no-op', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const { customerId } = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '1' }], T0);
		const event = {
			tenantId: tenant.id,
			customerId,
			type: 'note' as const,
			channel: 'nitka' as const,
			occurredAt: T0,
			recordedAt: T0,
			sourceKey: 'dup-key',
			data: { text: 'first', author: 'staff' },
		};
		expect(await appendEvent(db, event)).not.toBeNull();
		expect(await appendEvent(db, { ...event, data: { text: 'second', author: 'staff' } })).toBeNull();
		const page = await readTimeline(db, tenant.id, customerId, { limit: 50 });
		expect(page.items.filter((e) => e.type === 'note').map((e) => (e.data as { text: string }).text)).toEqual(
			['first'],
		);
	});

	it('refuses event data that does not match its type, naming the field', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const { customerId } = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '2' }], T0);
		await expect(
			appendEvent(db, {
				tenantId: tenant.id,
				customerId,
				type: 'pos.purchase',
				channel: 'pos',
				occurredAt: T0,
				recordedAt: T0,
				sourceKey: 'bad',
				data: { locationId: 'store-1', receiptId: 'R1', total: 'twelve', items: [], currency: 'RUB' },
			}),
		).rejects.toThrow(/total/);
	});

	it('pages newest first with a stable keyset cursor and filters by channel, type and time', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const { customerId } = await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '3' }], T0, 'm0');
		for (let i = 1; i < 25; i++)
			await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '3' }], T0 + i * 1000, `m${i}`);
		// Several events in the same millisecond must still page without loss or repetition.
		for (let i = 0; i < 5; i++)
			await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '3' }], T0 + 30_000, `same${i}`);
		await appendEvent(db, {
			tenantId: tenant.id,
			customerId,
			type: 'note',
			channel: 'nitka',
			occurredAt: T0 + 500,
			recordedAt: T0,
			sourceKey: `note-${tenant.id}`,
			data: { text: 'a note', author: 'staff' },
		});
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await readTimeline(db, tenant.id, customerId, { limit: 7, ...(cursor ? { cursor } : {}) });
			seen.push(...page.items.map((e) => e.id));
			cursor = page.next ?? undefined;
			pages += 1;
			// A new event arriving between pages must not disturb the next page.
			if (pages === 2)
				await ingestMessage(db, tenant.id, [{ type: 'telegram', value: '3' }], T0 + 99_000, 'late');
		} while (cursor);
		const all = await db
			.selectFrom('events')
			.select('id')
			.where('tenant_id', '=', tenant.id)
			.where('type', '!=', 'identity.linked')
			.execute();
		const allIncludingLinks = await db
			.selectFrom('events')
			.select('id')
			.where('tenant_id', '=', tenant.id)
			.execute();
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBe(allIncludingLinks.length - 1); // everything except the late arrival
		expect(all.length).toBeGreaterThan(0);

		const notes = await readTimeline(db, tenant.id, customerId, { limit: 50, type: ['note'] });
		expect(notes.items.map((e) => e.type)).toEqual(['note']);
		const nitka = await readTimeline(db, tenant.id, customerId, { limit: 50, channel: ['nitka'] });
		expect(nitka.items.every((e) => e.channel === 'nitka')).toBe(true);
		const window = await readTimeline(db, tenant.id, customerId, {
			limit: 50,
			type: ['message.in'],
			from: new Date(T0 + 10_000).toISOString(),
			to: new Date(T0 + 13_000).toISOString(),
		});
		expect(window.items.map((e) => (e.data as { text: string }).text)).toEqual(['m12', 'm11', 'm10']);
	});
});
