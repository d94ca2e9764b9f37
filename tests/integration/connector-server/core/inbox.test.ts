import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxWorker } from '../../../../connector-server/src/core/inbox/inbox-worker.ts';
import { InboxWriter } from '../../../../connector-server/src/core/inbox/inbox-writer.ts';
import {
	listQuarantine,
	requeueQuarantined,
} from '../../../../connector-server/src/core/inbox/quarantine.ts';
import {
	type InboundParser,
	UnparseablePayloadError,
} from '../../../../connector-server/src/core/ports/inbound.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { ManualClock } from '../../../support/manual-clock.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

/** A test source: `{ "user": "7", "text": "hi", "n": 1 }` → one message from telegram user 7. */
const parser: InboundParser = (payload) => {
	const p = payload as { user?: string; text?: string; n?: number };
	if (typeof p.user !== 'string') throw new UnparseablePayloadError('payload has no user');
	return [
		{
			identifiers: [{ type: 'telegram', value: p.user }],
			events: [
				{
					type: 'message.in',
					channel: 'telegram',
					occurredAt: Date.parse('2026-11-23T10:00:00Z') + (p.n ?? 0),
					sourceKey: `test:${p.n}`,
					data: {
						channel: 'telegram',
						connectionId: 'c',
						chatId: p.user,
						externalId: String(p.n),
						text: p.text,
						attachments: [],
					},
				},
			],
		},
	];
};

describe.each(dialects)('inbox on %s', (dialect) => {
	let database: TestDatabase;
	const clock = new ManualClock();
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('stores concurrent payloads in one group commit and answers each; a redelivery is a duplicate', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const writer = new InboxWriter(db, clock);
		const items = Array.from({ length: 50 }, (_, n) => ({
			tenantId: tenant.id,
			connectionId: null,
			source: 'test',
			sourceKey: `test:${n}`,
			payload: JSON.stringify({ user: '7', text: `hi ${n}`, n }),
		}));
		const outcomes = await Promise.all([...items, items[3]!, items[9]!].map((item) => writer.accept(item)));
		expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(50);
		expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
		expect(await writer.accept(items[0]!)).toBe('duplicate');
		const stored = await db.selectFrom('inbox').select('id').where('tenant_id', '=', tenant.id).execute();
		expect(stored).toHaveLength(50);
	});

	it('turns each item into events exactly once, and quarantines what it cannot parse', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const writer = new InboxWriter(db, clock);
		await writer.accept({
			tenantId: tenant.id,
			connectionId: null,
			source: 'test',
			sourceKey: 'k1',
			payload: JSON.stringify({ user: '8', text: 'one', n: 101 }),
		});
		await writer.accept({
			tenantId: tenant.id,
			connectionId: null,
			source: 'test',
			sourceKey: 'k2',
			payload: JSON.stringify({ nobody: true }),
		});
		await writer.accept({
			tenantId: tenant.id,
			connectionId: null,
			source: 'unknown',
			sourceKey: 'k3',
			payload: '{}',
		});
		const worker = new InboxWorker({
			db,
			dialect: database.dialect,
			parsers: { test: parser },
			clock,
			logger: silentLogger,
		});
		await worker.runOnce();
		await worker.runOnce(); // nothing left: a second pass must not store anything again
		const events = await db
			.selectFrom('events')
			.select(['type', 'source_key'])
			.where('tenant_id', '=', tenant.id)
			.execute();
		expect(events.filter((e) => e.type === 'message.in')).toHaveLength(1);
		const quarantine = await listQuarantine(db, tenant.id, { limit: 10 });
		expect(quarantine.items.map((q) => q.error).sort()).toEqual([
			'no parser for source "unknown"',
			'payload has no user',
		]);
		// After a fix, a quarantined item can be processed again.
		const bad = quarantine.items.find((q) => q.source === 'unknown')!;
		await requeueQuarantined(db, tenant.id, bad.id);
		const fixed = new InboxWorker({
			db,
			dialect: database.dialect,
			parsers: { test: parser, unknown: () => [] },
			clock,
			logger: silentLogger,
		});
		await fixed.runOnce();
		expect((await listQuarantine(db, tenant.id, { limit: 10 })).items).toHaveLength(1);
	});

	it('a failure inside processing rolls the whole item back and retries it later', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const writer = new InboxWriter(db, clock);
		await writer.accept({
			tenantId: tenant.id,
			connectionId: null,
			source: 'test',
			sourceKey: 'r1',
			payload: JSON.stringify({ user: '9', text: 'x', n: 201 }),
		});
		let fail = true;
		const reactor = async () => {
			if (fail) throw new Error('database hiccup');
			return [];
		};
		const worker = new InboxWorker({
			db,
			dialect: database.dialect,
			parsers: { test: parser },
			reactors: [reactor],
			clock,
			logger: silentLogger,
		});
		expect(await worker.runOnce()).toBe(0);
		// The event appended before the failure was rolled back with it.
		expect(
			await db.selectFrom('events').select('id').where('tenant_id', '=', tenant.id).execute(),
		).toHaveLength(0);
		const row = await db
			.selectFrom('inbox')
			.select(['status', 'attempts', 'error'])
			.where('tenant_id', '=', tenant.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'pending', attempts: 1, error: 'database hiccup' });
		fail = false;
		expect(await worker.runOnce()).toBe(1);
		expect(
			await db
				.selectFrom('events')
				.select('id')
				.where('tenant_id', '=', tenant.id)
				.where('type', '=', 'message.in')
				.execute(),
		).toHaveLength(1);
	});
});
