import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationAuth, ensureWordPress, type WordPressHarness } from '../../wordpress/harness.ts';
import { launchChromium, saveScreenshot } from '../support/chromium.ts';
import { adminPage } from './wp-admin.ts';

/**
 * wp-admin → WooCommerce → Nitka, in the real test WordPress: the abandoned-cart idle time is set on
 * the settings screen, checked there before it is sent, and saved through the plugin's own REST
 * route (POST /nitka/v1/settings/carts); the stored value is read back over REST with an
 * Application Password and survives a reload. Restores the previous value when done.
 */
describe('wp-admin settings: abandoned-cart idle time', () => {
	let wp: WordPressHarness;
	let browser: Browser;
	let before = 60;

	const settings = async () => {
		const response = await fetch(`${wp.url}/wp-json/nitka/v1/settings`, {
			headers: { authorization: applicationAuth(wp) },
		});
		expect(response.status).toBe(200);
		return (await response.json()) as { carts: { idleMinutes: number } };
	};
	const setIdle = async (idleMinutes: unknown) =>
		fetch(`${wp.url}/wp-json/nitka/v1/settings/carts`, {
			method: 'POST',
			headers: { authorization: applicationAuth(wp), 'content-type': 'application/json' },
			body: JSON.stringify({ idleMinutes }),
		});

	beforeAll(async () => {
		wp = await ensureWordPress();
		before = (await settings()).carts.idleMinutes;
		expect((await setIdle(60)).status).toBe(200);
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		if (wp) await setIdle(before);
	});

	const settingsPage = () => adminPage(browser, wp, '/wp-admin/admin.php?page=nitka', '.nitka-carts');

	it('validates the idle time, saves it through the REST route and shows it after a reload', async () => {
		const page = await settingsPage();
		const card = page.locator('.nitka-carts');
		const field = card.getByLabel('Idle time before a cart counts as abandoned (minutes)');
		const save = card.getByRole('button', { name: 'Save' });
		expect(await field.inputValue()).toBe('60');
		// Unchanged: nothing to save.
		expect(await save.isDisabled()).toBe(true);

		for (const [typed, message] of [
			['0', 'Enter between 1 and 10080 minutes (a week).'],
			['10081', 'Enter between 1 and 10080 minutes (a week).'],
			['1.5', 'Enter a whole number of minutes.'],
			['', 'Enter a whole number of minutes.'],
		] as const) {
			await field.fill(typed);
			await card.getByText(message).waitFor();
			expect(await save.isDisabled()).toBe(true);
		}
		await saveScreenshot(page, 'wp-settings-carts-invalid');

		const posted = page.waitForRequest(
			(request) =>
				request.method() === 'POST' && /nitka(\/|%2F)v1(\/|%2F)settings(\/|%2F)carts/.test(request.url()),
		);
		await field.fill('90');
		expect(await save.isDisabled()).toBe(false);
		await save.click();
		expect((await posted).postDataJSON()).toEqual({ idleMinutes: 90 });
		await card.getByText('Saved.').waitFor();
		expect((await settings()).carts.idleMinutes).toBe(90);
		await saveScreenshot(page, 'wp-settings-carts-saved');

		await page.reload();
		await page.locator('.nitka-carts').waitFor();
		expect(
			await page
				.locator('.nitka-carts')
				.getByLabel(/Idle time/)
				.inputValue(),
		).toBe('90');
		await page.close();
	});

	it('the REST route refuses what the screen refuses', async () => {
		for (const idleMinutes of [0, 10081, 'soon']) {
			expect((await setIdle(idleMinutes)).status).toBe(400);
		}
		expect((await settings()).carts.idleMinutes).toBe(90);
	});
});
