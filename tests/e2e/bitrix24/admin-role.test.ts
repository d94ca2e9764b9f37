import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from './stack.ts';

const ZERO_ID = '01J00000000000000000000000';

// Security review H1: a portal user who is not an administrator reads and replies, but changes no
// tenant-wide setting (connections, marketplaces, Bitrix24 settings and backfill, merges, pairing
// codes, dead letters and quarantine); API keys and admin sessions keep every right.
describe('Bitrix24 sessions: admin-only routes', () => {
	let stack: Bitrix24Stack;
	let tenantId: string;
	let admin: string;
	let operator: string;
	const base = () => `${stack.server.url}/api/v1/tenants/${tenantId}`;
	const sessionFor = async (userId: number) => {
		const frame = stack.b24.issueFrameAuth(APP_ID, userId);
		const answer = await api<{ token: string; tenantId: string; user: { isAdmin: boolean } }>(
			`${stack.server.url}/api/v1/hosts/bitrix24/session`,
			'POST',
			undefined,
			{ domain: frame.domain, memberId: frame.memberId, accessToken: frame.accessToken },
		);
		expect(answer.status).toBe(200);
		return answer.body;
	};

	beforeAll(async () => {
		stack = await startBitrix24Stack();
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
		const anna = await sessionFor(1);
		const klaus = await sessionFor(27);
		expect([anna.user.isAdmin, klaus.user.isAdmin]).toEqual([true, false]);
		tenantId = anna.tenantId;
		admin = anna.token;
		operator = klaus.token;
	});
	afterAll(async () => {
		await stack?.close();
	});

	it('refuses every admin route to a non-admin session with 403 problem JSON', async () => {
		const denied: [string, string, unknown?][] = [
			['POST', `${base()}/connections`, { channel: 'telegram', token: stack.tg.token }],
			['DELETE', `${base()}/connections/${ZERO_ID}`],
			['POST', `${base()}/marketplaces`, { marketplace: 'ozon', credentials: {} }],
			['PUT', `${base()}/bitrix24/settings`, { openLineId: '1' }],
			['POST', `${base()}/bitrix24/backfill`],
			['POST', `${base()}/merges`, { keepId: ZERO_ID, mergeId: ZERO_ID }],
			['POST', `${base()}/merges/${ZERO_ID}/undo`],
			['POST', `${base()}/merge-reviews/${ZERO_ID}`, { decision: 'reject' }],
			['POST', `${base()}/quarantine/${ZERO_ID}/requeue`],
			['POST', `${base()}/dead-letters/${ZERO_ID}/retry`],
			['POST', `${stack.server.url}/api/v1/woocommerce/pairing-codes`, { tenantId }],
		];
		for (const [method, url, body] of denied) {
			const response = await fetch(url, {
				method,
				headers: {
					authorization: `Bearer ${operator}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
			expect(response.status, `${method} ${url}`).toBe(403);
			expect(response.headers.get('content-type'), `${method} ${url}`).toMatch(/application\/problem\+json/);
			expect(((await response.json()) as { status: number }).status).toBe(403);
		}
		// Reading the settings stays open to everyone on the portal.
		expect((await api(`${base()}/bitrix24/settings`, 'GET', operator)).status).toBe(200);
		expect((await api(`${base()}/bitrix24/backfill`, 'GET', operator)).status).not.toBe(403);
	});

	it('lets the admin session change settings, and the operator read the timeline and reply', async () => {
		const saved = await api(`${base()}/bitrix24/settings`, 'PUT', admin, { openLineId: '1' });
		expect(saved.status).toBe(200);
		const connected = await api<{ connection: { id: string } }>(`${base()}/connections`, 'POST', admin, {
			channel: 'telegram',
			token: stack.tg.token,
		});
		expect(connected.status).toBe(201);
		const buyer = stack.tg.user({ id: 7_101, first_name: 'Olga' });
		buyer.sendText('Hello?');
		await stack.tg.webhookIdle();
		const customerId = await eventually(async () => {
			const list = await api<{ items: { customerId: string }[] }>(`${base()}/conversations`, 'GET', operator);
			return list.body.items[0]?.customerId;
		}, 15_000);

		const timeline = await api(`${base()}/customers/${customerId}/timeline`, 'GET', operator);
		expect(timeline.status).toBe(200);
		const reply = await api(`${base()}/customers/${customerId}/replies`, 'POST', operator, {
			text: 'Hi Olga',
			author: '27',
		});
		expect(reply.status).toBe(202);
		await eventually(() => buyer.received.find((m) => m.text?.endsWith('Hi Olga')), 15_000);
	});
});
