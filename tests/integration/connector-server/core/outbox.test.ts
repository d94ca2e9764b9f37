import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
	enqueueJobs,
	listDeadLetters,
	retryDeadLetter,
} from '../../../../connector-server/src/core/outbox/outbox-repository.ts';
import { OutboxWorker } from '../../../../connector-server/src/core/outbox/outbox-worker.ts';
import {
	type OutboxHandler,
	PermanentDeliveryError,
	TransientDeliveryError,
} from '../../../../connector-server/src/core/ports/outbound.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { ManualClock } from '../../../support/manual-clock.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

const Payload = z.object({ chat: z.string(), text: z.string() });

/** A fake platform: records deliveries; `script` decides the outcome of each text's attempts. */
function chatHandler(script: Record<string, (attempt: number) => Error | undefined> = {}) {
	const delivered: { chat: string; text: string; attempt: number }[] = [];
	const handler: OutboxHandler<z.infer<typeof Payload>> = {
		parse: (payload) => Payload.parse(payload),
		limits: (payload, ctx) => [
			{ key: `${ctx.tenantId}:bot`, capacity: 30, perSecond: 30 },
			{ key: `${ctx.tenantId}:chat:${payload.chat}`, capacity: 1, perSecond: 1 },
		],
		deliver: async (payload, ctx) => {
			const error = script[payload.text]?.(ctx.attempt);
			if (error) throw error;
			delivered.push({ ...payload, attempt: ctx.attempt });
		},
	};
	return { handler: handler as OutboxHandler, delivered };
}

describe.each(dialects)('outbox on %s', (dialect) => {
	// A fresh database per test: workers see every tenant's jobs, so tests must not share a queue.
	let database: TestDatabase;
	beforeEach(async () => {
		database = await createTestDatabase(dialect);
	});
	afterEach(async () => {
		await database?.drop();
	});

	function worker(handler: OutboxHandler, clock: ManualClock, id = 'w1', leaseTtlMs = 30_000) {
		return new OutboxWorker({
			db: database.db,
			handlers: { 'chat.send': handler },
			clock,
			logger: silentLogger,
			workerId: id,
			leaseTtlMs,
			backoff: { baseMs: 1000, random: () => 0.5 },
		});
	}

	const job = (chat: string, text: string, extra: Record<string, unknown> = {}) => ({
		kind: 'chat.send',
		target: `chat:${chat}`,
		payload: { chat, text },
		...extra,
	});

	it('holds the per-chat ceiling: one message per second per chat, in order', async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		const { handler, delivered } = chatHandler();
		await enqueueJobs(
			database.db,
			tenant.id,
			[job('a', 'a1'), job('a', 'a2'), job('a', 'a3'), job('b', 'b1')],
			clock.now(),
		);
		const w = worker(handler, clock);
		await w.runOnce();
		expect(delivered.map((d) => d.text)).toEqual(['a1', 'b1']);
		await w.runOnce();
		expect(delivered).toHaveLength(2); // no time passed, chat a's bucket is empty
		clock.advance(1000);
		await w.runOnce();
		clock.advance(1000);
		await w.runOnce();
		expect(delivered.map((d) => d.text)).toEqual(['a1', 'b1', 'a2', 'a3']);
	});

	it('never lets a batch of waiting jobs starve a due job of another target', async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		const { handler, delivered } = chatHandler();
		// More scheduled jobs than one batch holds (100), all older than the due one.
		const later = clock.now() + 3_600_000;
		await enqueueJobs(
			database.db,
			tenant.id,
			Array.from({ length: 120 }, (_, i) => job(`later-${i}`, `l${i}`, { notBefore: later })),
			clock.now(),
		);
		await enqueueJobs(database.db, tenant.id, [job('now', 'n1')], clock.now());
		const w = worker(handler, clock);
		await w.runOnce();
		expect(delivered.map((d) => d.text)).toEqual(['n1']);
		// A due job still waits behind an older waiting job of its own target.
		await enqueueJobs(database.db, tenant.id, [job('later-0', 'l0-next')], clock.now());
		await w.runOnce();
		expect(delivered.map((d) => d.text)).toEqual(['n1']);
		clock.advance(3_600_000);
		await w.runOnce();
		expect(delivered.map((d) => d.text).slice(0, 2)).toEqual(['n1', 'l0']);
	});

	it("retries a transient failure after the platform's retry-after, keeping the chat's order", async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		const { handler, delivered } = chatHandler({
			first: (attempt) =>
				attempt === 1 ? new TransientDeliveryError('429 Too Many Requests', 7000) : undefined,
		});
		await enqueueJobs(
			database.db,
			tenant.id,
			[job('c', 'first'), job('c', 'second'), job('d', 'other')],
			clock.now(),
		);
		const w = worker(handler, clock);
		await w.runOnce();
		// 'second' waits behind 'first'; the other chat is not held up.
		expect(delivered.map((d) => d.text)).toEqual(['other']);
		const row = await database.db
			.selectFrom('outbox')
			.selectAll()
			.where('tenant_id', '=', tenant.id)
			.where('target', '=', 'chat:c')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		expect(Number(row.next_attempt_at) - clock.now()).toBe(7000);
		expect(row.last_error).toBe('429 Too Many Requests');
		clock.advance(6999);
		await w.runOnce();
		expect(delivered).toHaveLength(1);
		clock.advance(1);
		await w.runOnce();
		clock.advance(1000);
		await w.runOnce();
		expect(delivered.map((d) => d.text)).toEqual(['other', 'first', 'second']);
		expect(delivered[1]!.attempt).toBe(2);
	});

	it('parks permanent failures and exhausted jobs as dead letters, which can be retried', async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		let blocked = true;
		const { handler, delivered } = chatHandler({
			blocked: () =>
				blocked ? new PermanentDeliveryError('403 Forbidden: bot was blocked by the user') : undefined,
			flaky: () => new Error('socket hang up'),
		});
		await enqueueJobs(
			database.db,
			tenant.id,
			[job('e', 'blocked'), job('f', 'flaky', { maxAttempts: 3 })],
			clock.now(),
		);
		const w = worker(handler, clock);
		for (let i = 0; i < 6; i++) {
			await w.runOnce();
			clock.advance(60_000);
		}
		const dead = await listDeadLetters(database.db, tenant.id, 10);
		expect(dead.items.map((d) => [d.lastError, d.attempts]).sort()).toEqual([
			['403 Forbidden: bot was blocked by the user', 1],
			['gave up after 3 attempts: socket hang up', 3],
		]);
		blocked = false;
		const blockedJob = dead.items.find((d) => d.lastError?.startsWith('403'))!;
		const retried = await retryDeadLetter(database.db, tenant.id, blockedJob.id, clock.now());
		expect(retried.status).toBe('pending');
		await w.runOnce();
		expect(delivered.map((d) => d.text)).toEqual(['blocked']);
		await expect(retryDeadLetter(database.db, tenant.id, blockedJob.id, clock.now())).rejects.toThrow(
			/not found/,
		);
	});

	it("runs a handler's onDead once per dead letter, in the parking transaction, and enqueues its follow-ups", async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		const { handler: base, delivered } = chatHandler({
			gone: () => new PermanentDeliveryError('410 the shop refused'),
			flaky: () => new Error('socket hang up'),
			broken: () => new PermanentDeliveryError('400 bad'),
		});
		const seen: { text: string; error: string; attempts: number; inTx: boolean }[] = [];
		const handler: OutboxHandler = {
			...base,
			async onDead(payload, context, tx) {
				const { chat, text } = payload as { chat: string; text: string };
				if (text === 'broken') throw new Error('the follow-up itself failed');
				// Sees the job already parked in its own transaction.
				const row = await tx
					.selectFrom('outbox')
					.select('status')
					.where('id', '=', context.id)
					.executeTakeFirstOrThrow();
				seen.push({ text, error: context.error, attempts: context.attempts, inTx: row.status === 'dead' });
				return [job(chat, `sorry: ${text}`, { dedupeKey: `sorry:${text}` })];
			},
		};
		await enqueueJobs(
			database.db,
			tenant.id,
			[job('g', 'gone'), job('f', 'flaky', { maxAttempts: 2 }), job('b', 'broken'), job('h', 'fine')],
			clock.now(),
		);
		const w = worker(handler, clock);
		for (let i = 0; i < 5; i++) {
			await w.runOnce();
			clock.advance(60_000);
		}
		expect(seen.sort((a, b) => a.text.localeCompare(b.text))).toEqual([
			{ text: 'flaky', error: 'gave up after 2 attempts: socket hang up', attempts: 2, inTx: true },
			{ text: 'gone', error: '410 the shop refused', attempts: 1, inTx: true },
		]);
		// The follow-ups were delivered like any job; the failing hook's job is parked all the same.
		expect(delivered.map((d) => d.text).sort()).toEqual(['fine', 'sorry: flaky', 'sorry: gone']);
		const dead = await listDeadLetters(database.db, tenant.id, 10);
		expect(dead.items.map((d) => d.lastError).sort()).toEqual([
			'400 bad',
			'410 the shop refused',
			'gave up after 2 attempts: socket hang up',
		]);
		// Retried and dead again: the hook runs again (its follow-up's dedupe key keeps one message).
		const gone = dead.items.find((d) => d.lastError === '410 the shop refused')!;
		await retryDeadLetter(database.db, tenant.id, gone.id, clock.now());
		await w.runOnce();
		expect(seen.filter((x) => x.text === 'gone')).toHaveLength(2);
		clock.advance(60_000);
		await w.runOnce();
		expect(delivered.filter((d) => d.text === 'sorry: gone')).toHaveLength(1);
	});

	it('keeps one job per dedupe key', async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		await enqueueJobs(
			database.db,
			tenant.id,
			[job('g', 'x', { dedupeKey: 'reply:1' }), job('g', 'x', { dedupeKey: 'reply:1' })],
			clock.now(),
		);
		const rows = await database.db
			.selectFrom('outbox')
			.select('id')
			.where('tenant_id', '=', tenant.id)
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('a tenant is worked by one process at a time; a dead holder is taken over after its lease', async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		const a = chatHandler();
		const b = chatHandler();
		await enqueueJobs(database.db, tenant.id, [job('h', 'h1')], clock.now());
		await worker(a.handler, clock, 'process-a', 10_000).runOnce();
		expect(a.delivered).toHaveLength(1);
		await enqueueJobs(database.db, tenant.id, [job('i', 'i1')], clock.now());
		// Process A holds the lease (it has not stopped): B must not touch the tenant.
		const processB = worker(b.handler, clock, 'process-b', 10_000);
		await processB.runOnce();
		expect(b.delivered).toHaveLength(0);
		clock.advance(10_001); // A died without releasing; its lease expires
		await processB.runOnce();
		expect(b.delivered.map((d) => d.text)).toEqual(['i1']);
	});

	it('never delivers a job twice when leases overlap, and takes back a claim whose holder died', async () => {
		const clock = new ManualClock();
		const tenant = await makeTenant(database.db);
		let release: () => void = () => undefined;
		const started: string[] = [];
		const slow: OutboxHandler = {
			parse: (payload) => Payload.parse(payload),
			limits: () => [],
			deliver: async (payload) => {
				started.push((payload as { text: string }).text);
				if (started.length === 1) await new Promise<void>((resolve) => (release = resolve));
			},
		};
		const make = (id: string) =>
			new OutboxWorker({
				db: database.db,
				handlers: { 'chat.send': slow },
				clock,
				logger: silentLogger,
				workerId: id,
				leaseTtlMs: 1_000,
				claimTtlMs: 60_000,
				backoff: { random: () => 0 },
			});
		await enqueueJobs(database.db, tenant.id, [job('z', 'once')], clock.now());
		const a = make('process-a');
		const roundA = a.runOnce(); // A claims the job and hangs inside the platform call
		while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		clock.advance(5_000); // A's tenant lease expires while it is still delivering
		await make('process-b').runOnce();
		expect(started).toEqual(['once']); // B saw the claim and left the job alone
		release();
		await roundA;
		const row = await database.db
			.selectFrom('outbox')
			.select(['status', 'claimed_by'])
			.where('tenant_id', '=', tenant.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'done', claimed_by: null });

		// A holder that dies mid-delivery: its claim expires and another process delivers the job.
		await enqueueJobs(database.db, tenant.id, [job('y', 'orphan')], clock.now());
		await database.db
			.updateTable('outbox')
			.set({ status: 'running', claimed_by: 'dead-process', claimed_until: clock.now() + 60_000 })
			.where('tenant_id', '=', tenant.id)
			.where('status', '=', 'pending')
			.execute();
		const c = make('process-c');
		await c.runOnce();
		expect(started).toEqual(['once']);
		clock.advance(60_001);
		await c.runOnce();
		expect(started).toEqual(['once', 'orphan']);
	});
});
