import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostLinks } from '../../../../../connector-server/src/core/hosts/host-links.ts';
import { createHostLocks } from '../../../../../connector-server/src/core/hosts/host-locks.ts';
import { createHostPortalStore } from '../../../../../connector-server/src/core/hosts/host-portal-store.ts';
import { LockTimeoutError } from '../../../../../connector-server/src/core/ports/host-locks.ts';
import { SecretBox } from '../../../../../connector-server/src/security/secret-box.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../support/databases.ts';

const clock = { now: () => Date.now() };
const install = (externalId: string, accessToken = 'AT1') => ({
	host: 'bitrix24' as const,
	externalId,
	name: 'portal.bitrix24.ru',
	domain: 'portal.bitrix24.ru',
	clientEndpoint: 'https://portal.bitrix24.ru/rest/',
	serverEndpoint: 'https://oauth.bitrix24.tech/rest/',
	applicationToken: 'app-token',
	tokens: { accessToken, refreshToken: 'RT1', expiresAt: Date.now() + 3_600_000 },
});

describe.each(dialects)('Bitrix24 host storage on %s', (dialect) => {
	let database: TestDatabase;
	const box = new SecretBox(randomBytes(32));

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('installs once per member_id, seals tokens, reactivates after uninstall', async () => {
		const store = createHostPortalStore(database.db, box, clock);
		const first = await store.install(install('member-a'));
		expect(first.created).toBe(true);
		const row = await database.db
			.selectFrom('host_portals')
			.selectAll()
			.where('tenant_id', '=', first.portal.tenantId)
			.executeTakeFirstOrThrow();
		expect(row.secrets).not.toContain('AT1');
		expect((await store.secrets(first.portal.tenantId))?.tokens?.accessToken).toBe('AT1');

		await store.uninstall(first.portal.tenantId);
		expect((await store.secrets(first.portal.tenantId))?.tokens).toBeNull();
		expect((await store.byExternalId('bitrix24', 'member-a'))?.status).toBe('uninstalled');

		const again = await store.install(install('member-a', 'AT2'));
		expect(again).toMatchObject({
			created: false,
			portal: { tenantId: first.portal.tenantId, status: 'active' },
		});
		expect((await store.secrets(first.portal.tenantId))?.tokens?.accessToken).toBe('AT2');
		expect(await store.listActive('bitrix24')).toHaveLength(1);
	});

	it('stores rotated tokens compare-and-set: a stale version loses', async () => {
		const store = createHostPortalStore(database.db, box, clock);
		const { portal } = await store.install(install('member-b'));
		const before = (await store.secrets(portal.tenantId))!;
		const next = { accessToken: 'AT-next', refreshToken: 'RT-next', expiresAt: Date.now() + 3_600_000 };
		expect(await store.saveTokens(portal.tenantId, next, before.version)).toBe(true);
		expect(
			await store.saveTokens(portal.tenantId, { ...next, accessToken: 'AT-stale' }, before.version),
		).toBe(false);
		expect((await store.secrets(portal.tenantId))?.tokens?.accessToken).toBe('AT-next');
	});

	it('lets one holder at a time run under a lock, across lock instances (processes)', async () => {
		const a = createHostLocks(database.db, clock, 'process-a');
		const b = createHostLocks(database.db, clock, 'process-b');
		let inside = 0;
		let maxInside = 0;
		const work = async () => {
			inside += 1;
			maxInside = Math.max(maxInside, inside);
			await new Promise((resolve) => setTimeout(resolve, 30));
			inside -= 1;
		};
		await Promise.all([
			a.withLock('bitrix24-refresh:t', work),
			b.withLock('bitrix24-refresh:t', work),
			a.withLock('bitrix24-refresh:t', work),
		]);
		expect(maxInside).toBe(1);
		// b asks only once a holds the lock: which of two racing acquirers wins is not the point here.
		let entered!: () => void;
		const holding = new Promise<void>((resolve) => {
			entered = resolve;
		});
		let release!: () => void;
		const held = a.withLock(
			'busy',
			() =>
				new Promise<void>((resolve) => {
					release = resolve;
					entered();
				}),
		);
		await holding;
		await expect(b.withLock('busy', async () => 1, { waitMs: 50 })).rejects.toBeInstanceOf(LockTimeoutError);
		release();
		await held;
	});

	it('links a contact both ways, to a given customer or from its phones', async () => {
		const store = createHostPortalStore(database.db, box, clock);
		const links = createHostLinks(database.db, clock);
		const { portal } = await store.install(install('member-c'));
		const tenantId = portal.tenantId;
		const customer = await links.linkContact(tenantId, {
			type: 'bitrix24_contact',
			contactId: '41',
			identifiers: [{ type: 'phone', value: '+7 999 111-22-33' }],
			name: 'Olga',
		});
		expect(await links.customerOf(tenantId, '41', 'bitrix24_contact')).toBe(customer);
		expect(await links.contactOf(tenantId, customer, 'bitrix24_contact')).toBe('41');
		expect((await links.profile(tenantId, customer)).phones).toEqual(['+79991112233']);
		// A second contact with the same phone joins the same customer; the oldest link stays the contact.
		const same = await links.linkContact(tenantId, {
			type: 'bitrix24_contact',
			contactId: '42',
			identifiers: [{ type: 'phone', value: '+79991112233' }],
		});
		expect(same).toBe(customer);
		expect(await links.unlinkContact(tenantId, '41', 'bitrix24_contact')).toBe(true);
		expect(await links.contactOf(tenantId, customer, 'bitrix24_contact')).toBe('42');
		await links.putRecord(tenantId, 'bitrix24-deal', 'ozon:1', '7', { stage: 'NEW' });
		await links.putRecord(tenantId, 'bitrix24-deal', 'ozon:1', '7', { stage: 'WON' });
		expect(await links.getRecord(tenantId, 'bitrix24-deal', 'ozon:1')).toEqual({
			remoteId: '7',
			data: { stage: 'WON' },
		});
	});
});
