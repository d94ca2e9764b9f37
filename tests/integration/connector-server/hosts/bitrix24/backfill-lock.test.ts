import { randomBytes } from 'node:crypto';
import type { Order } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostLinks } from '../../../../../connector-server/src/core/hosts/host-links.ts';
import { createHostLocks } from '../../../../../connector-server/src/core/hosts/host-locks.ts';
import { createHostPortalStore } from '../../../../../connector-server/src/core/hosts/host-portal-store.ts';
import { createCustomer } from '../../../../../connector-server/src/core/identity/identity-graph.ts';
import { createBackfill } from '../../../../../connector-server/src/hosts/bitrix24/backfill.ts';
import {
	BackfillProgressSchema,
	backfillState,
} from '../../../../../connector-server/src/hosts/bitrix24/backfill-state.ts';
import type { BatchCommand } from '../../../../../connector-server/src/hosts/bitrix24/rest-client.ts';
import { Bitrix24SettingsSchema } from '../../../../../connector-server/src/hosts/bitrix24/schemas.ts';
import { SecretBox } from '../../../../../connector-server/src/security/secret-box.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../support/databases.ts';

const clock = { now: () => Date.now() };

/**
 * A portal that answers batches only when the test lets it (`open`), counting every command it ran:
 * contacts and deals get fresh ids, log entries an entry.
 */
function gatedPortal() {
	let release!: () => void;
	let gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	const ran: string[] = [];
	let id = 100;
	return {
		ran,
		open: () => release(),
		close: () => {
			gate = new Promise<void>((resolve) => {
				release = resolve;
			});
		},
		client: {
			async batch(commands: Record<string, BatchCommand>) {
				await gate;
				const results: Record<string, unknown> = {};
				for (const [key, command] of Object.entries(commands)) {
					ran.push(command.method);
					results[key] = command.method === 'crm.timeline.logmessage.add' ? { logMessage: { id } } : ++id;
				}
				return { results, errors: {} };
			},
		},
	};
}

describe.each(dialects)('Bitrix24 backfill, one run per tenant across processes, on %s', (dialect) => {
	let database: TestDatabase;

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	async function installPortal(memberId: string): Promise<string> {
		const store = createHostPortalStore(database.db, new SecretBox(randomBytes(32)), clock);
		const { portal } = await store.install({
			host: 'bitrix24',
			externalId: memberId,
			name: 'portal.bitrix24.ru',
			domain: 'portal.bitrix24.ru',
			clientEndpoint: 'https://portal.bitrix24.ru/rest/',
			serverEndpoint: 'https://oauth.bitrix24.tech/rest/',
			applicationToken: 'app-token',
			tokens: { accessToken: 'AT', refreshToken: 'RT', expiresAt: Date.now() + 3_600_000 },
		});
		return portal.tenantId;
	}

	it('a second process joins the running backfill instead of starting its own, then sees it finish', async () => {
		const tenantId = await installPortal(`member-${dialect}`);
		const at = Date.now();
		const customers = [
			await createCustomer(database.db, tenantId, at),
			await createCustomer(database.db, tenantId, at),
		];
		const orders = customers.map(
			(customerId, i) =>
				({
					source: 'ozon',
					externalId: `L-${i}`,
					number: `L-${i}`,
					status: 'delivered',
					customerId,
				}) as unknown as Order,
		);
		const loads: string[] = [];
		const portal = gatedPortal();
		// Two processes: their own lock owners, backfill instances and clients, one database.
		const processOf = (name: string) =>
			createBackfill({
				pool: { forTenant: async () => portal.client } as never,
				links: createHostLinks(database.db, clock),
				locks: createHostLocks(database.db, clock, name),
				orders: async () => {
					loads.push(name);
					return { items: orders, next: null };
				},
				settings: async () => Bitrix24SettingsSchema.parse({}),
				limits: { burst: 50, drainPerSecond: 2 },
				now: clock.now,
				onError: () => undefined,
			});
		const a = processOf('process-a');
		const b = processOf('process-b');

		const started = await a.start(tenantId);
		expect(started.status).toBe('running');
		// A's run is inside its first batch (the portal holds it); B is asked to start the same backfill.
		await expect.poll(() => loads.length).toBe(1);
		const joined = await b.start(tenantId);
		expect(joined.status).toBe('running');
		expect(loads).toEqual(['process-a']); // B ran nothing of its own
		expect((await b.progress(tenantId)).status).toBe('running');
		// Asked twice in A's own process, the one run is joined too.
		expect((await a.start(tenantId)).status).toBe('running');

		portal.open();
		await a.settled(tenantId);
		const finished = await a.progress(tenantId);
		expect(finished).toMatchObject({ status: 'finished', total: 2, done: 2, failed: 0, logged: 2 });
		// B now reads the stored outcome; the lock is free.
		expect(await b.progress(tenantId)).toMatchObject({ status: 'finished', done: 2, logged: 2 });
		expect(portal.ran.filter((m) => m === 'crm.deal.add')).toHaveLength(2);
		expect(portal.ran.filter((m) => m === 'crm.timeline.logmessage.add')).toHaveLength(2);

		// Once A's run is over, B may start one: it finds every deal and entry made, and makes none.
		await b.start(tenantId);
		await b.settled(tenantId);
		expect(await b.progress(tenantId)).toMatchObject({ status: 'finished', done: 2 });
		expect(loads).toEqual(['process-a', 'process-b']);
		expect(portal.ran.filter((m) => m === 'crm.deal.add')).toHaveLength(2);
		expect(portal.ran.filter((m) => m === 'crm.timeline.logmessage.add')).toHaveLength(2);
	});

	it('a run stored as running reads as running while its lock is held (kept alive past its ttl), interrupted once free', async () => {
		const tenantId = await installPortal(`member-held-${dialect}`);
		const links = createHostLinks(database.db, clock);
		const locks = createHostLocks(database.db, clock, 'process-c');
		const reader = createBackfill({
			pool: { forTenant: async () => ({}) } as never,
			links,
			locks: createHostLocks(database.db, clock, 'process-d'),
			orders: async () => ({ items: [], next: null }),
			settings: async () => Bitrix24SettingsSchema.parse({}),
			limits: { burst: 50, drainPerSecond: 2 },
			now: clock.now,
			onError: () => undefined,
		});
		const running = BackfillProgressSchema.parse({ status: 'running', total: 5, done: 2 });
		await backfillState(links, tenantId).save(running, { contacts: [], deals: [], logs: [] });
		let release!: () => void;
		const held = locks.withLock(
			`bitrix24-backfill:${tenantId}`,
			() =>
				new Promise<void>((resolve) => {
					release = resolve;
				}),
			{ waitMs: 0, ttlMs: 150, keepAlive: true },
		);
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(await locks.isHeld(`bitrix24-backfill:${tenantId}`)).toBe(true);
		expect(await reader.progress(tenantId)).toMatchObject({ status: 'running', done: 2 });
		release();
		await held;
		expect(await locks.isHeld(`bitrix24-backfill:${tenantId}`)).toBe(false);
		expect(await reader.progress(tenantId)).toMatchObject({ status: 'failed', error: 'interrupted' });
	});
});
