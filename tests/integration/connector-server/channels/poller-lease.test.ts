import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramAdapter } from '../../../../connector-server/src/channels/telegram/index.ts';
import { systemClock } from '../../../../connector-server/src/core/clock.ts';
import { createChannelRuntime } from '../../../../connector-server/src/core/conversations/channel-runtime.ts';
import type { ChannelClient } from '../../../../connector-server/src/core/ports/channel-client.ts';
import { createConnection } from '../../../../connector-server/src/core/tenants/connections.ts';
import { SecretBox } from '../../../../connector-server/src/security/secret-box.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

const TTL = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Telegram client whose poll only records who is polling right now. */
function recordingClient(name: string, polling: Map<string, Set<string>>): ChannelClient {
	return {
		channel: 'telegram',
		capabilities: { maxTextLength: 4096, sendLimits: () => [], deepLink: () => null },
		prepare: async () => ({ name: 'bot', settings: {} }),
		activate: async () => ({}),
		deactivate: async () => undefined,
		send: async () => ({ externalId: '1' }),
		poll(connection) {
			const set = polling.get(connection.connectionId) ?? new Set<string>();
			polling.set(connection.connectionId, set);
			set.add(name);
			return {
				async stop() {
					set.delete(name);
				},
			};
		},
	};
}

// Two connector processes on one database: each polling connection is long-polled by exactly one
// (getUpdates consumers of one bot collide), and the other takes over once the holder is gone.
describe.each(dialects)('poller leases across processes on %s', (dialect) => {
	let database: TestDatabase;
	const box = new SecretBox(randomBytes(32));
	const polling = new Map<string, Set<string>>();
	const runtime = (name: string) =>
		createChannelRuntime({
			db: database.db,
			box,
			clock: systemClock,
			logger: silentLogger,
			clients: { telegram: recordingClient(name, polling) },
			adapters: { telegram: telegramAdapter },
			publicUrl: undefined,
			workerId: name,
			pollerLeaseTtlMs: TTL,
		});

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('polls each connection in one process only, and moves it when the holder dies', async () => {
		const tenant = await makeTenant(database.db);
		const connections = await Promise.all(
			[1, 2, 3].map((n) =>
				createConnection(
					database.db,
					box,
					{
						tenantId: tenant.id,
						channel: 'telegram',
						name: `bot ${n}`,
						credentials: { token: `${n}:secret` },
						settings: { mode: 'polling', botId: n },
					},
					Date.now(),
				),
			),
		);
		const ids = connections.map((c) => c.id);
		const a = runtime(`a-${dialect}`);
		const b = runtime(`b-${dialect}`);
		// A comes up first and leases everything; B, started next, must keep its hands off.
		await a.start();
		await b.start();
		// Several renewal rounds: never two pollers for one connection, every connection polled.
		for (let round = 0; round < 6; round += 1) {
			await sleep(TTL / 4);
			for (const id of ids) expect(polling.get(id)?.size, `connection ${id}`).toBe(1);
		}
		const heldByA = ids.filter((id) => polling.get(id)?.has(`a-${dialect}`));
		expect(heldByA).toEqual(ids);

		// A dies: its pollers stop, but its leases stay in the table until they expire.
		const leases = await database.db
			.selectFrom('tenant_leases')
			.selectAll()
			.where('owner', '=', `a-${dialect}`)
			.execute();
		await a.stop();
		const diedAt = Date.now();
		for (const lease of leases)
			await database.db
				.insertInto('tenant_leases')
				.values({ ...lease, expires_at: diedAt + TTL })
				.execute();
		await sleep(TTL / 3);
		// Not before the dead holder's lease expired: the holder might only be slow.
		if (Date.now() < diedAt + TTL) for (const id of heldByA) expect(polling.get(id)?.size ?? 0).toBe(0);
		await sleep(TTL * 1.5);
		for (const id of ids) expect([...(polling.get(id) ?? [])]).toEqual([`b-${dialect}`]);

		// A graceful stop hands over at once (leases deleted), and a restarted A gets nothing held.
		const again = runtime(`a-${dialect}`);
		await again.start();
		await sleep(TTL / 2);
		for (const id of ids) expect(polling.get(id)?.size).toBe(1);
		await b.stop();
		await sleep(TTL / 2);
		for (const id of ids) expect([...(polling.get(id) ?? [])]).toEqual([`a-${dialect}`]);
		await again.stop();
		expect(
			await database.db
				.selectFrom('tenant_leases')
				.selectAll()
				.where('tenant_id', 'like', 'poller:%')
				.execute(),
		).toEqual([]);
	});
});
