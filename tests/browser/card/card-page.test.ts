import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCardAccessKey, issueCardAccess } from '../../../connector-server/src/core/card/card-access.ts';
import { deriveCounterKeys, verifyQrToken } from '../../../connector-server/src/core/counter/qr-tokens.ts';
import { resolveCustomer } from '../../../connector-server/src/core/identity/identity-graph.ts';
import { loadMasterKey } from '../../../connector-server/src/security/master-key.ts';
import { makeTenant } from '../../support/fixtures.ts';
import { decodeQrSvg } from '../../support/qr-decode.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { launchChromium, saveScreenshot } from '../support/chromium.ts';

// The customer's card page on a phone-sized Chromium: the QR shows and is swapped for a fresh
// token, the strict CSP holds (no violation), Russian and English, expired and forged links.
describe('the card page in a browser', () => {
	let connector: TestServer;
	let browser: Browser;
	let url = '';
	let expiredUrl = '';
	let masterKey: Buffer;
	let tenantId = '';
	let customerId = '';

	beforeAll(async () => {
		connector = await startTestServer();
		browser = await launchChromium();
		masterKey = loadMasterKey(connector.dataDir, undefined).key;
		const { db } = connector.server;
		const tenant = await makeTenant(db);
		tenantId = tenant.id;
		customerId = (
			await db.transaction().execute((tx) =>
				resolveCustomer(tx, {
					tenantId,
					identifiers: [{ type: 'telegram', value: '55501', verified: true }],
					source: 'telegram',
					profile: { name: 'Мария Иванова', source: 'messenger' },
					at: Date.now(),
				}),
			)
		).customerId;
		const key = deriveCardAccessKey(masterKey);
		url = `${connector.url}/card/${issueCardAccess(key, { tenantId, customerId }, Date.now()).access}`;
		expiredUrl = `${connector.url}/card/${issueCardAccess(key, { tenantId, customerId }, Date.now() - 31 * 86_400_000).access}`;
	}, 60_000);

	afterAll(async () => {
		await browser?.close();
		await connector?.stop();
	});

	async function phone(locale: string): Promise<{ page: Page; problems: string[] }> {
		const context = await browser.newContext({
			viewport: { width: 390, height: 844 },
			deviceScaleFactor: 2,
			isMobile: true,
			locale,
		});
		const page = await context.newPage();
		const problems: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(message.text());
		});
		page.on('pageerror', (error) => problems.push(error.message));
		page.on('response', (response) => {
			if (response.status() >= 400 && !response.url().includes('xyz'))
				problems.push(`${response.status()} ${response.url()}`);
		});
		return { page, problems };
	}

	const qrState = (page: Page) =>
		page.$eval('#qr', (img) => ({
			src: (img as HTMLImageElement).currentSrc,
			loaded: (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
		}));

	it('shows the shop, the first name, a loading QR and the number; swaps the QR for a fresh token', async () => {
		const { page, problems } = await phone('ru-RU');
		const response = await page.goto(url);
		expect(response?.status()).toBe(200);
		await page.waitForFunction(() => {
			const img = document.getElementById('qr') as HTMLImageElement | null;
			return !!img && img.complete && img.naturalWidth > 0;
		});
		const text = await page.textContent('main');
		expect(text).toContain('Мария, это ваша карта покупателя');
		expect(text).not.toContain('Иванова');
		expect(text).toMatch(/2 \d{6} \d{6}/);
		const first = await qrState(page);
		expect(first.loaded).toBe(true);
		await saveScreenshot(page, 'card-page-ru');

		// Coming back to the page (or every 30 s) fetches a new single-use token.
		await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
		await page.waitForFunction(
			(before) => (document.getElementById('qr') as HTMLImageElement).src !== before,
			first.src,
		);
		const second = await qrState(page);
		expect(second.src).toContain('/qr.svg?t=');
		const svg = await (await fetch(second.src)).text();
		const claims = verifyQrToken(deriveCounterKeys(masterKey), decodeQrSvg(svg), Date.now());
		expect(claims).toMatchObject({ tenantId, customerId, kind: 'card' });
		// The strict CSP let the page's own script and stylesheet run, and nothing was refused.
		expect(problems).toEqual([]);
		const fontSize = await page.$eval('.shop', (el) => getComputedStyle(el).fontSize);
		expect(Number.parseFloat(fontSize)).toBeGreaterThan(16); // the stylesheet applied
		await page.context().close();
	});

	it('speaks English to an English browser, and switches language by link', async () => {
		const { page, problems } = await phone('en-GB');
		await page.goto(url);
		expect(await page.textContent('main')).toContain('Мария, this is your loyalty card');
		await saveScreenshot(page, 'card-page-en');
		await page.click('a[lang="ru"]');
		expect(await page.textContent('main')).toContain('это ваша карта покупателя');
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('an expired link shows 410 with how to get a new one; a forged one 404', async () => {
		const { page } = await phone('ru-RU');
		const gone = await page.goto(expiredUrl);
		expect(gone?.status()).toBe(410);
		expect(await page.textContent('main')).toContain('Моя карта');
		await saveScreenshot(page, 'card-page-expired');
		const forged = await page.goto(`${url.slice(0, -3)}xyz`);
		expect(forged?.status()).toBe(404);
		await page.context().close();
	});
});
