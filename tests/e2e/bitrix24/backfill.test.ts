import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../connector-server/src/core/clock.ts';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from './stack.ts';

const ORDERS = 120;
const CUSTOMERS = 80;

// The batched deal backfill, the contact sweep and the framed bitrix-app page, end to end.
describe('Bitrix24: backfill, contact sweep, app page', () => {
	let stack: Bitrix24Stack;
	let tenantId: string;
	let session: string;
	const customerIds: string[] = [];
	const dist = mkdtempSync(path.join(tmpdir(), 'nitka-b24-dist-'));
	const base = () => `${stack.server.url}/api/v1/tenants/${tenantId}`;

	beforeAll(async () => {
		writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Nitka app</title>');
		stack = await startBitrix24Stack({
			limits: { burst: 10, drainPerSecond: 20 },
			bitrix24: { contactSweepMs: 200, appDist: dist },
		});
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
		const frame = stack.b24.issueFrameAuth(APP_ID);
		const answer = await api<{ token: string; tenantId: string }>(
			`${stack.server.url}/api/v1/hosts/bitrix24/session`,
			'POST',
			undefined,
			{ domain: frame.domain, memberId: frame.memberId, accessToken: frame.accessToken },
		);
		session = answer.body.token;
		tenantId = answer.body.tenantId;
		const at = Date.now();
		await stack.server.db.transaction().execute(async (tx) => {
			for (let i = 0; i < CUSTOMERS; i++) {
				const id = newId(at);
				customerIds.push(id);
				await tx
					.insertInto('customers')
					.values({
						id,
						tenant_id: tenantId,
						parent_id: null,
						root_id: id,
						name: `Buyer ${i}`,
						name_rank: 1,
						name_at: at,
						created_at: at,
						updated_at: at,
					})
					.execute();
				await tx
					.insertInto('identities')
					.values({
						id: newId(at),
						tenant_id: tenantId,
						customer_id: id,
						type: i % 4 === 0 ? 'email' : 'phone',
						value: i % 4 === 0 ? `b${i}@example.ru` : `+7901${String(i).padStart(7, '0')}`,
						verified: 1,
						source: 'test',
						created_at: at,
					})
					.execute();
			}
			for (let i = 0; i < ORDERS; i++) {
				await tx
					.insertInto('orders')
					.values({
						id: newId(at + i),
						tenant_id: tenantId,
						source: 'ozon',
						external_id: `P-${i}`,
						connection_id: null,
						number: `P-${i}`,
						status: 'created',
						raw_status: 'x',
						status_at: at,
						customer_id: customerIds[i % CUSTOMERS]!,
						buyer_known: 1,
						created_at: at,
						updated_at: at,
					})
					.execute();
			}
		});
	});
	afterAll(async () => {
		await stack?.close();
		rmSync(dist, { recursive: true, force: true });
	});

	it('backfills every order once through limit storms, an expiring token and a crash mid-batch', async () => {
		const { state } = stack.b24.portal();
		// A previous run crashed after the portal ran its batch and before anything was recorded:
		// the journal names what that batch created; the deal and contact exist only in Bitrix24.
		const contact = state.crm.create(
			3,
			{ NAME: 'Buyer 1', ORIGINATOR_ID: 'nitka', ORIGIN_ID: customerIds[1] },
			1,
			Date.now(),
		);
		contact.multi.push({ ID: 9_001, TYPE_ID: 'PHONE', VALUE: '+79010000001', VALUE_TYPE: 'MOBILE' });
		state.crm.create(
			2,
			{ TITLE: 'ozon P-1', ORIGINATOR_ID: 'nitka', ORIGIN_ID: 'ozon:P-1', CONTACT_IDS: [contact.ID] },
			1,
			Date.now(),
		);
		// The same batch made the deal of that customer's next order and already wrote its entry
		// (P-1's entry had not run yet): found on the contact's timeline, not written twice.
		const next = `P-${1 + CUSTOMERS}`;
		state.crm.create(
			2,
			{ TITLE: `ozon ${next}`, ORIGINATOR_ID: 'nitka', ORIGIN_ID: `ozon:${next}`, CONTACT_IDS: [contact.ID] },
			1,
			Date.now(),
		);
		state.crm.logMessages.push({
			id: state.nextId('timeline'),
			entityTypeId: 3,
			entityId: contact.ID,
			title: `Order ${next} (ozon)`,
			text: 'Status: delivered',
			iconCode: 'arrow-down',
			authorId: 1,
			appId: '',
			created: Date.now(),
		});
		await stack.server.db
			.insertInto('host_records')
			.values({
				tenant_id: tenantId,
				kind: 'bitrix24-backfill',
				local_key: 'state',
				remote_id: '',
				data: JSON.stringify({
					inflight: {
						contacts: [customerIds[1]],
						deals: ['ozon:P-1', `ozon:${next}`],
						logs: ['ozon:P-1', `ozon:${next}`],
					},
				}),
				updated_at: Date.now(),
			})
			.execute();

		stack.b24.faults.add({ match: 'crm.deal.add', fault: { kind: 'rate-limit' }, times: 4 });
		stack.b24.faults.add({ match: 'crm.duplicate.findbycomm', fault: { kind: 'expired-token' }, times: 2 });
		stack.b24.faults.add({ match: 'batch', fault: { kind: 'rate-limit' }, times: 2 });
		stack.b24.faults.add({ match: 'crm.timeline.logmessage.add', fault: { kind: 'rate-limit' }, times: 3 });
		const row = await stack.server.db.selectFrom('host_portals').selectAll().executeTakeFirstOrThrow();
		const stored = JSON.parse(stack.server.box.open(row.secrets, `host-portal:${row.tenant_id}:secrets`));
		stack.b24.oauth.expireAccessToken(stored.tokens.accessToken);

		const started = await api<{ status: string }>(`${base()}/bitrix24/backfill`, 'POST', session);
		expect(started.status).toBe(202);
		expect(started.body.status).toBe('running');
		const done = await eventually(async () => {
			const p = await api<{
				status: string;
				total: number;
				done: number;
				failed: number;
				logged: number;
				logsFailed: number;
				finishedAt: string | null;
			}>(`${base()}/bitrix24/backfill`, 'GET', session);
			return p.body.status === 'running' ? undefined : p.body;
		}, 30_000);
		expect(done).toMatchObject({ status: 'finished', total: ORDERS, done: ORDERS, failed: 0, logsFailed: 0 });
		// Every entry this run wrote (all but the one the crashed batch had written).
		expect(done.logged).toBe(ORDERS - 1);
		expect(done.finishedAt).not.toBeNull();

		const deals = state.crm.all(2);
		const origins = deals.map((d) => String(d.fields.ORIGIN_ID)).sort();
		expect(origins).toEqual(Array.from({ length: ORDERS }, (_, i) => `ozon:P-${i}`).sort());
		expect(state.crm.all(3)).toHaveLength(CUSTOMERS);
		// A customer's orders share its one contact.
		const contactOf = new Map(
			deals.map((d) => [String(d.fields.ORIGIN_ID), JSON.stringify(d.fields.CONTACT_IDS)]),
		);
		expect(contactOf.get('ozon:P-1')).toBe(contactOf.get(`ozon:P-${1 + CUSTOMERS}`));
		// Each order's timeline entry, once, on its deal's contact, as live orders write it.
		const entries = () =>
			state.crm.logMessages.map((m) => `${m.entityTypeId}:${m.entityId}:${m.title}:${m.iconCode}`).sort();
		const expected = deals
			.map((d) => {
				const [source, number] = String(d.fields.ORIGIN_ID).split(':');
				const contactId = (d.fields.CONTACT_IDS as number[])[0];
				return `3:${contactId}:Order ${number} (${source}):arrow-down`;
			})
			.sort();
		expect(entries()).toEqual(expected);

		// Running it again creates nothing.
		await api(`${base()}/bitrix24/backfill`, 'POST', session);
		await eventually(
			async () =>
				(await api<{ status: string }>(`${base()}/bitrix24/backfill`, 'GET', session)).body.status ===
				'finished',
		);
		expect(state.crm.all(2)).toHaveLength(ORDERS);
		expect(state.crm.all(3)).toHaveLength(CUSTOMERS);
		expect(entries()).toEqual(expected);
	});

	it('sweeps away the link of a contact deleted in Bitrix24 without an event', async () => {
		const { state } = stack.b24.portal();
		const victim = state.crm.all(3)[5]!.ID;
		const linked = () =>
			stack.server.db
				.selectFrom('identities')
				.select('value')
				.where('type', '=', 'bitrix24_contact')
				.where('value', '=', String(victim))
				.execute();
		expect(await linked()).toHaveLength(1);
		state.crm.delete(3, victim); // no ONCRMCONTACTDELETE reaches the connector
		await eventually(async () => (await linked()).length === 0, 10_000);
		const others = await stack.server.db
			.selectFrom('identities')
			.select('value')
			.where('type', '=', 'bitrix24_contact')
			.execute();
		expect(others).toHaveLength(CUSTOMERS - 1);
	});

	it('serves the bitrix-app framable by portals, answers the portal form POST, and stays strict elsewhere', async () => {
		const page = await fetch(`${stack.server.url}/bitrix24/app/`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Nitka app');
		expect(page.headers.get('x-frame-options')).toBeNull();
		const csp = page.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/frame-ancestors 'self' https: http:\/\/127\.0\.0\.1:\* http:\/\/localhost:\*/);
		expect(csp).toMatch(/connect-src 'self' https: http:\/\/127\.0\.0\.1:\* http:\/\/localhost:\*(;|$)/);
		// Served under a public name, the page admits https portals only: no http origin at all.
		const deployedCsp = await new Promise<string>((resolve, reject) => {
			const url = new URL(`${stack.server.url}/bitrix24/app/`);
			get(
				{ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'nitka.example.com' } },
				(res) => {
					res.resume();
					resolve(String(res.headers['content-security-policy'] ?? ''));
				},
			).on('error', reject);
		});
		expect(deployedCsp).toMatch(/connect-src 'self' https:(;|$)/);
		expect(deployedCsp).toMatch(/frame-ancestors 'self' https:(;|$)/);
		expect(deployedCsp).not.toContain('http:');

		const posted = await fetch(`${stack.server.url}/bitrix24/app/?DOMAIN=portal.example.ru&PROTOCOL=1`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'AUTH_ID=AT0&AUTH_EXPIRES=3600&REFRESH_ID=RT0&member_id=m1&status=L&PLACEMENT=DEFAULT',
		});
		expect(posted.status).toBe(200);
		expect(await posted.text()).toContain('Nitka app');
		expect(posted.headers.get('x-frame-options')).toBeNull();

		const strict = await fetch(`${stack.server.url}/healthz`);
		expect(strict.headers.get('x-frame-options')).toBe('SAMEORIGIN');
		expect(strict.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
	});
});
