import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCounterKeys, verifyQrToken } from '../../../connector-server/src/core/counter/qr-tokens.ts';
import { loadMasterKey } from '../../../connector-server/src/security/master-key.ts';
import { launchChromium, saveScreenshot } from '../../browser/support/chromium.ts';
import { decodeQrSvg } from '../../support/qr-decode.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { applicationAuth, ensureWordPress, shop, type WordPressHarness } from '../../wordpress/harness.ts';

/**
 * WooCommerce My Account → "Loyalty card" in a real WordPress with the plugin, paired with a real
 * connector: the plugin asks the connector (signed) for the card of the logged-in customer, the
 * connector creates the customer for that WooCommerce id, and the page shows the connector's QR
 * image (a fresh single-use card token each load, swapped every 30 s) and the loyalty number.
 * Shares the test WordPress with plugin-flow.test.ts: run one of them at a time.
 */
describe('WooCommerce My Account: the loyalty card', () => {
	let wp: WordPressHarness;
	let connector: TestServer;
	let browser: Browser;
	let tenantId = '';
	let userId = 0;
	const unique = Date.now().toString(36);
	const login = `maria-${unique}`;
	const accountUrl = (endpoint: string) => `${wp.url}/?wc-stand-in=my-account&endpoint=${endpoint}`;

	const rest = async (path: string, body: unknown) => {
		const response = await fetch(`${wp.url}/wp-json/nitka/v1${path}`, {
			method: 'POST',
			headers: { authorization: applicationAuth(wp), 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	beforeAll(async () => {
		wp = await ensureWordPress();
		connector = await startTestServer();
		await shop('reset');
		browser = await launchChromium();
		const code = await rest('/local-code', { url: connector.url });
		const paired = await rest('/pair', { url: connector.url, code: code.body.code });
		expect(paired.status).toBe(200);
		tenantId = (paired.body.pairing as { tenantId: string }).tenantId;
		userId = (
			await shop<{ id: number }>('create-customer', {
				login,
				email: `maria.${unique}@lenta-shop.ru`,
				phone: `+7915${String(Date.now()).slice(-7)}`,
				firstName: 'Мария',
				lastName: 'Соколова',
			})
		).id;
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await connector?.stop();
	});

	it('a logged-in customer sees the tab, the QR (a valid card token for their Nitka customer) and the number', async () => {
		const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
		const page = await context.newPage();
		await page.goto(`${wp.url}/wp-login.php`);
		await page.fill('#user_login', login);
		await page.fill('#user_pass', 'customer-pass-123');
		await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);

		const response = await page.goto(accountUrl(''));
		expect(response?.status()).toBe(200);
		const tab = page.locator('.woocommerce-MyAccount-navigation-link--loyalty-card a');
		expect(await tab.textContent()).toBe('Loyalty card');
		// Before "Log out", as WooCommerce's own tabs end.
		const order = await page.$$eval('.woocommerce-MyAccount-navigation li', (items) =>
			items.map((li) => li.className.replace('woocommerce-MyAccount-navigation-link--', '')),
		);
		expect(order.slice(-2)).toEqual(['loyalty-card', 'customer-logout']);
		await Promise.all([page.waitForNavigation(), tab.click()]);

		await page.waitForFunction(() => {
			const img = document.querySelector('img.nitka-card__qr') as HTMLImageElement | null;
			return !!img && img.complete && img.naturalWidth > 0;
		});
		const src = await page.getAttribute('img.nitka-card__qr', 'src');
		expect(src?.startsWith(`${connector.url}/card/nc1.`)).toBe(true);
		expect(src?.endsWith('/qr.svg')).toBe(true);
		const number = (await page.textContent('.nitka-card__number strong'))?.replace(/\s/g, '') ?? '';
		expect(number).toMatch(/^2\d{12}$/);

		// The connector made (or found) the Nitka customer with this WooCommerce id, and the number is theirs.
		const { db } = connector.server;
		const owner = await db
			.selectFrom('identities')
			.select('customer_id')
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'woocommerce_customer')
			.where('value', '=', String(userId))
			.executeTakeFirstOrThrow();
		const card = await db
			.selectFrom('identities')
			.select('customer_id')
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'loyalty_card')
			.where('value', '=', number)
			.executeTakeFirstOrThrow();
		expect(card.customer_id).toBe(owner.customer_id);

		// The image is the connector's: a single-use card token for that customer.
		const masterKey = loadMasterKey(connector.dataDir, undefined).key;
		const token = decodeQrSvg(await (await fetch(src!)).text());
		expect(verifyQrToken(deriveCounterKeys(masterKey), token, Date.now())).toMatchObject({
			tenantId,
			customerId: owner.customer_id,
			kind: 'card',
		});

		// The plugin's script swaps the image for a fresh token (every 30 s, and when the tab is shown again).
		await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
		await page.waitForFunction(() =>
			(document.querySelector('img.nitka-card__qr') as HTMLImageElement).src.includes('/qr.svg?t='),
		);
		await page.waitForFunction(
			() => (document.querySelector('img.nitka-card__qr') as HTMLImageElement).naturalWidth > 0,
		);
		await saveScreenshot(page, 'woocommerce-my-account-loyalty-card');

		// "Open the card on your phone" is the connector's card page for the same customer.
		const cardUrl = await page.getAttribute('a.nitka-card__open', 'href');
		const cardPage = await fetch(cardUrl!);
		expect(cardPage.status).toBe(200);
		expect(await cardPage.text()).toContain(`${number.slice(0, 1)} ${number.slice(1, 7)} ${number.slice(7)}`);
		await context.close();
	});

	it('is for logged-in customers only, and an unknown endpoint stays a 404', async () => {
		expect((await fetch(accountUrl('loyalty-card'))).status).toBe(403);
		const guest = await browser.newContext();
		const page = await guest.newPage();
		await page.goto(`${wp.url}/wp-login.php`);
		await page.fill('#user_login', login);
		await page.fill('#user_pass', 'customer-pass-123');
		await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
		expect((await page.goto(accountUrl('no-such-tab')))?.status()).toBe(404);
		await guest.close();
	});

	it('an unpaired shop shows no tab', async () => {
		await shop('reset');
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${wp.url}/wp-login.php`);
		await page.fill('#user_login', login);
		await page.fill('#user_pass', 'customer-pass-123');
		await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
		await page.goto(accountUrl(''));
		expect(await page.locator('.woocommerce-MyAccount-navigation-link--loyalty-card').count()).toBe(0);
		await context.close();
	});
});
