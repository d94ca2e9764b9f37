import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bitrix24Emulator, startBitrix24Emulator } from '../../emulators/bitrix24/index.ts';
import {
	appPagePath,
	type Bitrix24PortalPage,
	contactCardPath,
	createFakeFrameAuthProvider,
	findB24JsSdkBundle,
	mountPortalPageOnEmulator,
	type RunningBitrix24PortalPage,
	startBitrix24PortalPage,
	testAppId,
	testAppUrl,
} from '../../emulators/bitrix24/portal-page/index.ts';
import { launchChromium, saveScreenshot } from '../support/chromium.ts';

/** What the built-in test app (portal-page/client/test-app.js) leaves on window.__app. */
interface TestAppState {
	status: string;
	placement?: string;
	options?: Record<string, string>;
	auth?: { domain: string; memberId: string; accessToken: string } | null;
	rest?: { ok: boolean; result?: unknown; errors?: string[] };
	error?: string;
}

const sdkBundle = findB24JsSdkBundle();
if (!sdkBundle)
	console.warn('bitrix24-portal-page: @bitrix24/b24jssdk is not installed; the browser tests are skipped');

/** The test app's frame once its B24Frame finished init (status `ready`) or failed. */
async function testAppFrame(page: Page): Promise<Frame> {
	let frame: Frame | undefined;
	await expect
		.poll(() => (frame = page.frames().find((f) => f.url().includes('/__test-app/'))), { timeout: 10_000 })
		.toBeTruthy();
	const found = frame as Frame;
	await found.waitForFunction(
		'window.__app && ["ready", "failed"].includes(window.__app.status)',
		undefined,
		{ timeout: 15_000 },
	);
	return found;
}

const appState = async (frame: Frame) => (await frame.evaluate('window.__app')) as TestAppState;

describe.skipIf(!sdkBundle)('Bitrix24 portal page hosting the real B24Frame', () => {
	const memberId = 'a223c6b3710f85df22e9377d6c4f7553';
	const auth = createFakeFrameAuthProvider({ memberId });
	let portal: RunningBitrix24PortalPage;
	let browser: Browser;

	beforeAll(async () => {
		portal = await startBitrix24PortalPage({ auth });
		browser = await launchChromium();
	});

	afterAll(async () => {
		await browser?.close();
		await portal?.close();
	});

	it('launches the contact-card tab the way a portal does and answers the init handshake', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}${contactCardPath(42)}`);
		// The app tab loads lazily, on first open.
		expect(portal.launches).toHaveLength(0);
		await page.click(`[data-app-id="${testAppId}"]`);
		const frame = await testAppFrame(page);
		const state = await appState(frame);
		expect(state.error).toBeUndefined();
		const host = new URL(portal.url).host;

		// Launch: public parameters in the query, tokens in the POST body.
		const launch = portal.launches[0]!;
		expect(launch.method).toBe('POST');
		expect(launch.query).toMatchObject({ DOMAIN: host, PROTOCOL: '0', LANG: 'en' });
		const sid = String(launch.query.APP_SID);
		expect(sid).toMatch(/^[0-9a-f]{32}$/);
		expect(launch.query).not.toHaveProperty('AUTH_ID');
		const issued = auth.issued[0]!;
		expect(launch.body).toMatchObject({
			AUTH_ID: issued.access_token,
			AUTH_EXPIRES: '3600',
			REFRESH_ID: issued.refresh_token,
			member_id: memberId,
			status: 'L',
			PLACEMENT: 'CRM_CONTACT_DETAIL_TAB',
		});
		expect(JSON.parse(String(launch.body.PLACEMENT_OPTIONS))).toMatchObject({ ID: '42' });
		expect(await frame.evaluate('window.name')).toBe(`${host}|0|${sid}`);

		// What the real B24Frame made of it.
		expect(state.status).toBe('ready');
		expect(state.placement).toBe('CRM_CONTACT_DETAIL_TAB');
		expect(state.options?.ID).toBe('42');
		expect(state.auth).toMatchObject({ domain: portal.url, memberId, accessToken: issued.access_token });
		expect(await frame.textContent('#sdk-member')).toBe(memberId);

		const init = await portal.messages.waitFor((m) => m.command === 'getInitData');
		expect(init).toMatchObject({ outcome: 'answered', appSid: sid, origin: new URL(frame.url()).origin });
		expect(init.reply).toMatchObject({
			DOMAIN: host,
			PROTOCOL: 0,
			PATH: '/rest/',
			MEMBER_ID: memberId,
			PLACEMENT: 'CRM_CONTACT_DETAIL_TAB',
			PLACEMENT_OPTIONS: { ID: '42' },
		});
		// A detail tab may not retitle the portal page: the message is dropped, not answered.
		const title = await portal.messages.waitFor((m) => m.command === 'setTitle');
		expect(title).toMatchObject({ outcome: 'ignored', reason: 'denied for this placement' });
		const resize = await portal.messages.waitFor((m) => m.command === 'resizeWindow');
		expect(resize).toMatchObject({ outcome: 'answered', params: { width: '100%' } });
		const height = (resize.params as { height: number }).height;
		expect(height).toBeGreaterThan(400);
		const box = await page.locator(`#appframe_layout_${sid}`).boundingBox();
		expect(box?.height).toBe(height);
		expect(resize.reply).toMatchObject({ height });

		// The page's own log and the Node-side log agree.
		const pageMessages = (await page.evaluate('window.__portal.messages')) as unknown[];
		expect(pageMessages.length).toBe(portal.messages.all().length);
		await saveScreenshot(page, 'bitrix24-portal-contact-card');

		// refreshAuth: the portal mints a new pair and the SDK adopts it.
		const refreshed = (await frame.evaluate('window.__app.b24.auth.refreshAuth()')) as {
			access_token: string;
			member_id: string;
		};
		const second = auth.issued.at(-1)!;
		expect(refreshed.access_token).toBe(second.access_token);
		expect(refreshed.access_token).not.toBe(issued.access_token);
		expect(refreshed.member_id).toBe(memberId);
		const refresh = await portal.messages.waitFor((m) => m.command === 'refreshAuth');
		expect(refresh).toMatchObject({
			outcome: 'answered',
			reply: { AUTH_ID: second.access_token, REFRESH_ID: second.refresh_token },
		});
		await page.close();
	});

	it('hosts the default placement page, where setTitle is allowed and no PLACEMENT_OPTIONS are sent', async () => {
		portal.messages.clear();
		const before = portal.launches.length;
		const page = await browser.newPage();
		await page.goto(`${portal.url}${appPagePath(testAppId)}`);
		const frame = await testAppFrame(page);
		const state = await appState(frame);
		expect(state.status).toBe('ready');
		expect(state.placement).toBe('DEFAULT');
		const launch = portal.launches[before]!;
		expect(launch.body.PLACEMENT).toBe('DEFAULT');
		expect(launch.body).not.toHaveProperty('PLACEMENT_OPTIONS');
		const title = await portal.messages.waitFor((m) => m.command === 'setTitle');
		expect(title.outcome).toBe('answered');
		expect(await page.title()).toBe('Nitka test app');
		await saveScreenshot(page, 'bitrix24-portal-default-placement');
		await page.close();
	});

	it('drops messages from other origins, other APP_SIDs and unknown commands without answering', async () => {
		portal.messages.clear();
		const page = await browser.newPage();
		await page.goto(`${portal.url}${appPagePath(testAppId)}`);
		const frame = await testAppFrame(page);
		const sid = String(portal.launches.at(-1)?.query.APP_SID);
		portal.messages.clear();
		await frame.evaluate(`parent.postMessage('noSuchCommand:{"a":1}:cb-1:${sid}', '*')`);
		await frame.evaluate(`parent.postMessage('getInitData:cb-2:0123456789abcdef0123456789abcdef', '*')`);
		// The portal page posting to itself is not the app's origin.
		await page.evaluate(`window.postMessage('getInitData:cb-3:${sid}', '*')`);
		const unknown = await portal.messages.waitFor((m) => m.callbackId === 'cb-1');
		expect(unknown).toMatchObject({
			command: 'noSuchCommand',
			params: { a: 1 },
			outcome: 'ignored',
			reason: 'unknown command',
		});
		const otherSid = await portal.messages.waitFor((m) => m.callbackId === 'cb-2');
		expect(otherSid).toMatchObject({ outcome: 'ignored', reason: 'unknown APP_SID' });
		const foreign = await portal.messages.waitFor((m) => m.callbackId === 'cb-3');
		expect(foreign).toMatchObject({ outcome: 'ignored', reason: 'foreign origin', origin: portal.url });
		await page.close();
	});
});

describe.skipIf(!sdkBundle)('Bitrix24 portal page: first run and installer', () => {
	const installs: [string, boolean][] = [];
	let portal: RunningBitrix24PortalPage;
	let browser: Browser;

	beforeAll(async () => {
		portal = await startBitrix24PortalPage({
			firstRun: true,
			install: true,
			onInstallFinish: (appId, installed) => {
				installs.push([appId, installed]);
			},
		});
		browser = await launchChromium();
	});

	afterAll(async () => {
		await browser?.close();
		await portal?.close();
	});

	it('answers setInstall on first run, and reloads the page when the installer calls installFinish', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}${appPagePath(testAppId)}`);
		const frame = await testAppFrame(page);
		expect((await appState(frame)).status).toBe('ready');
		const setInstall = await portal.messages.waitFor((m) => m.command === 'setInstall');
		expect(setInstall).toMatchObject({
			outcome: 'answered',
			params: { install: true },
			reply: { install: true },
		});
		expect(await frame.evaluate('window.__app.b24.isInstallMode')).toBe(true);

		// installFinish never resolves on a portal: the page navigates away instead.
		const navigated = page.waitForURL(/install_finished=Y/);
		await frame.evaluate('void window.__app.b24.installFinish()');
		await navigated;
		expect(installs).toEqual([[testAppId, true]]);
		expect(portal.messages.byCommand('setInstallFinish')).toMatchObject([{ outcome: 'acted' }]);
		// The reloaded page is the app's second run: no FIRST_RUN, so no second setInstall.
		const again = await testAppFrame(page);
		expect((await appState(again)).status).toBe('ready');
		expect(portal.messages.byCommand('setInstall')).toHaveLength(1);
		await page.close();
	});
});

describe.skipIf(!sdkBundle)(
	'Bitrix24 portal page on the REST emulator: install, bind, open the tab, call REST',
	() => {
		let emulator: Bitrix24Emulator;
		let page: Bitrix24PortalPage;
		let browser: Browser;
		const appId = 'local.nitka-test.1';

		beforeAll(async () => {
			emulator = await startBitrix24Emulator();
			const app = emulator.defineApp({
				clientId: appId,
				clientSecret: 'test-secret',
				scope: 'crm,placement,user',
				handlerUrl: testAppUrl(emulator.url),
				hasUi: true,
				status: 'L',
			});
			page = mountPortalPageOnEmulator(emulator, { apps: [app] });
			browser = await launchChromium();
		});

		afterAll(async () => {
			await browser?.close();
			await emulator?.close();
		});

		it('runs the installer, binds CRM_CONTACT_DETAIL_TAB from the frame, and survives an expired token in the tab', async () => {
			await emulator.installApp(appId);
			const { state } = emulator.portal();
			const tab = await browser.newPage();

			// The app's page while the install is unfinished: installer mode, FIRST_RUN, valid tokens.
			await tab.goto(`${emulator.url}${appPagePath(appId)}`);
			const installer = await testAppFrame(tab);
			const first = await appState(installer);
			expect(first).toMatchObject({
				status: 'ready',
				placement: 'DEFAULT',
				auth: { memberId: state.memberId, domain: emulator.url },
			});
			expect(first.rest).toMatchObject({ ok: true, result: { ID: '1' } });
			expect(page.messages.byCommand('setInstall')).toMatchObject([{ outcome: 'answered' }]);
			const bound = (await installer.evaluate(`window.__app.b24.actions.v2.call
			.make({ method: 'placement.bind', params: { PLACEMENT: 'CRM_CONTACT_DETAIL_TAB', HANDLER: ${JSON.stringify(testAppUrl(emulator.url))}, TITLE: 'Nitka timeline' } })
			.then((r) => r.isSuccess)`)) as boolean;
			expect(bound).toBe(true);
			// Placements stay hidden until installFinish.
			await tab.goto(`${emulator.url}${contactCardPath(7)}`);
			expect(await tab.locator('[data-app-id]').count()).toBe(0);

			await tab.goto(`${emulator.url}${appPagePath(appId)}`);
			const again = await testAppFrame(tab);
			const navigated = tab.waitForURL(/install_finished=Y/);
			await again.evaluate('void window.__app.b24.installFinish()');
			await navigated;
			expect(state.installs.get(appId)?.installed).toBe(true);
			// The reloaded app page makes its own user.current call: let it finish before the fault
			// below is armed, or that call (not the tab's) would take it.
			await appState(await testAppFrame(tab));

			// The bound tab, with the first user.current answered 401 expired_token: B24Frame asks the
			// portal for fresh tokens (refreshAuth) and retries.
			page.messages.clear();
			emulator.faults.add({ match: 'user.current', fault: { kind: 'expired-token' }, times: 1 });
			await tab.goto(`${emulator.url}${contactCardPath(7)}`);
			await tab.click(`[data-app-id="${appId}"]`);
			const card = await appState(await testAppFrame(tab));
			expect(card).toMatchObject({
				status: 'ready',
				placement: 'CRM_CONTACT_DETAIL_TAB',
				options: { ID: '7' },
			});
			expect(card.rest).toMatchObject({ ok: true, result: { ID: '1' } });
			const refresh = await page.messages.waitFor((m) => m.command === 'refreshAuth');
			expect(refresh.outcome).toBe('answered');
			expect((refresh.reply as { AUTH_ID: string }).AUTH_ID).not.toBe(card.auth?.accessToken);
			await saveScreenshot(tab, 'bitrix24-portal-on-rest-emulator');
			await tab.close();
		});
	},
);
