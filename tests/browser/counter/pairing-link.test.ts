import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { createTenant } from '../../../connector-server/src/core/tenants/tenant-repository.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { launchChromium } from '../support/chromium.ts';

// A pairing link, `/counter/#key=nkc_…` (the demo page offers one): the tablet pairs as if the key
// had been pasted, and the key is in no request the browser makes and leaves the address at once.

const screenRoot = fileURLToPath(new URL('../../../connector-server/counter-screen/', import.meta.url));

describe('the counter screen opened by a pairing link', () => {
	let t: TestServer;
	let browser: Browser;
	let tenantId = '';
	let apiKey = '';
	let locationId = '';
	let tablet: BrowserContext;

	beforeAll(async () => {
		await build({ root: screenRoot, configFile: `${screenRoot}vite.config.ts`, logLevel: 'warn' });
		t = await startTestServer();
		browser = await launchChromium();
		const at = Date.now();
		const tenant = await createTenant(
			t.server.db,
			{ kind: 'woocommerce', name: 'Лавка «Нитка»', externalId: `shop-${Math.random()}` },
			at,
		);
		tenantId = tenant.id;
		apiKey = (await issueApiKey(t.server.db, { tenantId }, 'pairing-link-test', at)).key;
		locationId = (await admin<{ id: string }>('/locations', { name: 'Пункт выдачи', kind: 'pickup_point' }))
			.id;
		tablet = await browser.newContext({ locale: 'en-US' });
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await t?.stop();
	});

	async function admin<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
		const response = await fetch(`${t.url}/api/v1/tenants/${tenantId}${path}`, {
			method,
			headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	}

	const newDevice = async (name: string) =>
		await admin<{ device: { id: string }; key: string }>(`/locations/${locationId}/devices`, { name });

	it('pairs from the link, keeps the key out of every request and out of the address', async () => {
		const { key } = await newDevice('Касса у входа');
		const secret = key.slice(key.lastIndexOf('_') + 1);
		const page = await tablet.newPage();
		const requested: string[] = [];
		page.on('request', (request) => {
			requested.push(request.url(), JSON.stringify(request.headers()));
		});
		await page.goto(`${t.url}/counter/#key=${encodeURIComponent(key)}`);
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		expect(await page.textContent('[data-role="device"]')).toBe('Device: Касса у входа');
		expect(page.url()).toBe(`${t.url}/counter/`);
		expect(await page.evaluate(() => window.location.hash)).toBe('');
		expect(await page.evaluate(() => localStorage.getItem('nitka.counter.deviceKey'))).toBe(key);
		// The key travels only as the API's bearer header, never in a URL.
		expect(requested.filter((r) => r.startsWith('http')).some((url) => url.includes(secret))).toBe(false);

		// A reload (or the back button) has no key in its address and stays paired from storage.
		await page.reload();
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		await page.close();
	});

	it('a link with another device’s key re-pairs the tablet; a revoked one is refused and changes nothing', async () => {
		const second = await newDevice('Касса 2');
		const page = await tablet.newPage();
		await page.goto(`${t.url}/counter/#key=${second.key}`);
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		expect(await page.textContent('[data-role="device"]')).toBe('Device: Касса 2');
		expect(await page.evaluate(() => localStorage.getItem('nitka.counter.deviceKey'))).toBe(second.key);

		const revoked = await newDevice('Старая касса');
		const gone = await fetch(`${t.url}/api/v1/tenants/${tenantId}/devices/${revoked.device.id}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${apiKey}` },
		});
		expect(gone.status).toBe(200);
		// A fresh load, as tapping the link does (a same-page hash change would not load the screen).
		await page.goto('about:blank');
		await page.goto(`${t.url}/counter/#key=${revoked.key}`);
		await page.waitForSelector('[data-view="pair"]');
		await page.waitForSelector('[data-role="message"][data-kind="error"]');
		expect(await page.textContent('[data-role="message-text"]')).toContain('The device key was refused');
		expect(page.url()).toBe(`${t.url}/counter/`);
		// The tablet's own pairing is kept: opening the screen again works as before.
		expect(await page.evaluate(() => localStorage.getItem('nitka.counter.deviceKey'))).toBe(second.key);
		await page.goto(`${t.url}/counter/`);
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		expect(await page.textContent('[data-role="device"]')).toBe('Device: Касса 2');

		// Other fragments are no pairing link.
		await page.goto('about:blank');
		await page.goto(`${t.url}/counter/#something-else`);
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		await page.close();
	});
});
