import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bitrix24Emulator, startBitrix24Emulator } from '../index.ts';
import {
	appPagePath,
	contactCardPath,
	createFakeFrameAuthProvider,
	dealCardPath,
	emulatorFrameAuth,
	leadCardPath,
	type RunningBitrix24PortalPage,
	startBitrix24PortalPage,
	testAppUrl,
} from './index.ts';

const hostile = '</script><img src=x onerror=alert(1)>"\'&';

describe('portal page HTML (no browser)', () => {
	let portal: RunningBitrix24PortalPage;

	beforeAll(async () => {
		portal = await startBitrix24PortalPage({
			auth: createFakeFrameAuthProvider({ memberId: 'm1' }),
			contact: (id) => ({ id, name: hostile }),
			handlers: (_placement, { portalOrigin }) => [
				{
					appId: 'app-1',
					title: hostile,
					url: `${testAppUrl(portalOrigin)}?x=${encodeURIComponent(hostile)}`,
				},
			],
		});
	});

	afterAll(async () => {
		await portal?.close();
	});

	it('renders the iframe name and the launch form as a portal does, with dynamic text escaped', async () => {
		const html = await (await fetch(`${portal.url}${contactCardPath(42)}`)).text();
		const host = new URL(portal.url).host;
		const [layout] = portal.layouts.all();
		expect(layout).toBeDefined();
		const sid = layout!.sid;
		expect(html).toContain(`name="${host}|0|${sid}"`);
		expect(html).toContain(`target="${host}|0|${sid}"`);
		expect(html).toMatch(
			new RegExp(`action="[^"]*&amp;DOMAIN=${host}&amp;PROTOCOL=0&amp;LANG=en&amp;APP_SID=${sid}"`),
		);
		for (const field of ['AUTH_ID', 'AUTH_EXPIRES', 'REFRESH_ID', 'SERVER_ENDPOINT', 'APPLICATION_TOKEN']) {
			expect(html).toContain(`name="${field}"`);
		}
		expect(html).toContain('name="member_id" value="m1"');
		expect(html).toContain('name="PLACEMENT" value="CRM_CONTACT_DETAIL_TAB"');
		expect(html).toContain('name="PLACEMENT_OPTIONS" value="{&quot;ID&quot;:&quot;42&quot;');
		// Nothing the contact, the app title or the handler URL carry becomes markup or ends a script.
		expect(html).not.toContain('<img');
		expect(html.match(/<\/script>/g)?.length).toBe(html.match(/<script/g)?.length);
		expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
	});

	it('frames the deal and lead cards’ tabs with their own placement and the card’s ID as a string', async () => {
		for (const [path, placement, title] of [
			[dealCardPath(8061), 'CRM_DEAL_DETAIL_TAB', 'Deal: Deal #8061'],
			[leadCardPath(77), 'CRM_LEAD_DETAIL_TAB', 'Lead: Lead #77'],
		] as const) {
			const html = await (await fetch(`${portal.url}${path}`)).text();
			const layout = portal.layouts.all().at(-1)!;
			expect(layout.placement).toBe(placement);
			// {"ID":"8061","URI":"/crm/deal/details/8061/"}: no entity type, the ID a string (research §6.1).
			expect(layout.placementOptions).toEqual({ ID: path.split('/')[4], URI: path });
			expect(html).toContain(`name="PLACEMENT" value="${placement}"`);
			expect(html).toContain(
				`name="PLACEMENT_OPTIONS" value="{&quot;ID&quot;:&quot;${path.split('/')[4]}&quot;,&quot;URI&quot;:&quot;${path}&quot;}"`,
			);
			expect(html).toContain(`<h1 class="b24-title" id="b24-page-title">${title}</h1>`);
			expect(html).toContain(`data-app-sid="${layout.sid}"`);
		}
	});

	it('omits PLACEMENT_OPTIONS on the DEFAULT page and 404s an unknown app', async () => {
		const html = await (await fetch(`${portal.url}${appPagePath('app-1')}`)).text();
		expect(html).toContain('name="PLACEMENT" value="DEFAULT"');
		expect(html).not.toContain('name="PLACEMENT_OPTIONS"');
		expect((await fetch(`${portal.url}${appPagePath('nope')}`)).status).toBe(404);
	});

	it('refreshes auth server-side for a known APP_SID only', async () => {
		const layout = portal.layouts.all()[0]!;
		const before = layout.auth.access_token;
		const post = (sid: string) =>
			fetch(`${portal.url}/__portal/refresh-auth`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ sid }),
			});
		const response = await post(layout.sid);
		const body = (await response.json()) as { access_token: string; expires_in: number };
		expect(body.access_token).not.toBe(before);
		expect(body.expires_in).toBe(3600);
		expect((await post('nope')).status).toBe(404);
	});
});

describe('standalone portal page proxying REST to the emulator', () => {
	let emulator: Bitrix24Emulator;
	let portal: RunningBitrix24PortalPage;

	beforeAll(async () => {
		emulator = await startBitrix24Emulator();
		emulator.defineApp({ clientId: 'app-1', clientSecret: 's', scope: 'user', hasUi: false });
		await emulator.installApp('app-1');
		portal = await startBitrix24PortalPage({ auth: emulatorFrameAuth(emulator), restUpstream: emulator.url });
	});

	afterAll(async () => {
		await portal?.close();
		await emulator?.close();
	});

	it('passes /rest calls and CORS preflights through unchanged', async () => {
		const grant = await emulatorFrameAuth(emulator)({ appId: 'app-1', userId: 1, placement: 'DEFAULT' });
		const response = await fetch(`${portal.url}/rest/user.current`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ auth: grant.access_token }),
		});
		expect(response.status).toBe(200);
		expect(((await response.json()) as { result: { ID: string } }).result.ID).toBe('1');
		const denied = await fetch(`${portal.url}/rest/user.current`, { method: 'POST' });
		expect(denied.status).toBe(401);
		const preflight = await fetch(`${portal.url}/rest/user.current`, { method: 'OPTIONS' });
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
	});
});
