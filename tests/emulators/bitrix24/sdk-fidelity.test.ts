import { B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let clock: ManualClock;
let ctx: Awaited<ReturnType<typeof installedPortal>>;

beforeEach(async () => {
	// The SDK checks expiry with the real Date.now(), so the emulator clock starts at real time.
	clock = createManualClock(Date.now());
	ctx = await installedPortal({ clock });
});
afterEach(async () => ctx.close());

function client(): B24OAuth {
	const { auth } = ctx.installed;
	const b24 = new B24OAuth(
		{
			applicationToken: auth.applicationToken,
			userId: auth.userId,
			memberId: auth.memberId,
			accessToken: auth.accessToken,
			refreshToken: auth.refreshToken,
			expires: auth.expires,
			expiresIn: auth.expiresIn,
			scope: auth.scope,
			domain: auth.domain,
			// Trailing slash on purpose: the SDK then calls `/rest//method` (research §7.3).
			clientEndpoint: auth.clientEndpoint,
			serverEndpoint: auth.serverEndpoint,
			status: EnumAppStatus.Local,
		},
		{ clientId: 'local.65f1a2b3c4d5e6.12345678', clientSecret: 'Sx9vP2mQ7rT4kL1nB8cZ3wY6hJ5dF0gA' },
	);
	b24.offClientSideWarning();
	return b24;
}

describe('@bitrix24/b24jssdk B24OAuth against the emulator (research §7.3)', () => {
	it('calls a method', async () => {
		const b24 = client();
		const answer = await b24.actions.v2.call.make({
			method: 'crm.contact.add',
			params: { fields: { NAME: 'Ivan' } },
		});
		expect(answer.isSuccess).toBe(true);
		expect((answer.getData() as { result: number }).result).toBe(1);
		const sent = ctx.emulator.portal().requests.all().at(-1);
		expect(sent?.path).toBe('/rest//crm.contact.add');
		expect(sent?.query).toMatchObject({ bx24_sdk_type: 'b24-js-sdk' });
	});

	it('runs a batch with a $result reference', async () => {
		const b24 = client();
		const answer = await b24.actions.v2.batch.make({
			calls: {
				add: {
					method: 'crm.contact.add',
					params: { fields: { NAME: 'Olga', PHONE: [{ VALUE: '+79991234567', VALUE_TYPE: 'MOBILE' }] } },
				},
				get: { method: 'crm.contact.get', params: { id: '$result[add]' } },
			},
			options: { isHaltOnError: false },
		});
		expect(answer.getErrorMessages()).toEqual([]);
		expect(answer.isSuccess).toBe(true);
		expect(answer.getData()).toMatchObject({
			add: 1,
			get: { ID: '1', NAME: 'Olga', PHONE: [{ VALUE: '+79991234567' }] },
		});
	});

	it('pages a list with callList (start=-1 and >id cursor, research §2.3)', async () => {
		const { state } = ctx.emulator.portal();
		for (let i = 0; i < 120; i++) state.crm.create(3, { NAME: `C${i}` }, 1, clock.now());
		const b24 = client();
		const answer = await b24.actions.v2.callList.make({
			method: 'crm.item.list',
			params: { entityTypeId: 3, select: ['id', 'name'] },
			idKey: 'id',
			customKeyForResult: 'items',
		});
		expect(answer.isSuccess).toBe(true);
		const items = answer.getData() as Array<{ id: number }>;
		expect(items.map((item) => item.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
		const pages = ctx.emulator.portal().requests.filter((r) => r.path.endsWith('crm.item.list'));
		expect(pages.map((r) => (r.body as { filter: Record<string, number> }).filter['>id'])).toEqual([
			0, 50, 100,
		]);
	});

	it('refreshes an expired token through the OAuth endpoint and retries', async () => {
		const b24 = client();
		const saved: string[] = [];
		b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => {
			saved.push(b24OAuthParams.refreshToken);
		});
		clock.advance(3600_000);
		const answer = await b24.actions.v2.call.make({ method: 'profile' });
		expect(answer.isSuccess).toBe(true);
		const oauthCalls = ctx.emulator.portal().requests.filter((r) => r.path.endsWith('profile'));
		expect(oauthCalls).toHaveLength(2);
		expect(saved).toHaveLength(1);
		expect(saved[0]).not.toBe(ctx.installed.auth.refreshToken);
	});
});
