import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	marketplaceItem,
	pausedMarketplaceConnection,
	seedQuarantine,
} from '../../support/quarantine-seed.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { ensureWordPress, shop, type WordPressHarness } from '../../wordpress/harness.ts';
import { launchChromium, saveScreenshot } from '../support/chromium.ts';
import { adminPage, pluginRest } from './wp-admin.ts';

/**
 * wp-admin → WooCommerce → Nitka, paired with a real connector: what the connector could not read
 * (an Ozon page, a webhook naming no connection) is listed per connection with its source, time and
 * redacted error — never the payload's personal data — and "Retry" sends it through the worker again
 * via the plugin's signed proxy (POST /nitka/v1/quarantine/{id}/requeue). Pairs the run's WordPress
 * (NITKA_WP_RUN gives this test its own); resets the pairing first.
 */
describe('wp-admin settings: unreadable data (quarantine)', () => {
	let wp: WordPressHarness;
	let connector: TestServer;
	let browser: Browser;
	let tenantId = '';

	beforeAll(async () => {
		wp = await ensureWordPress();
		// Workers in this thread (the stored items are written here; nothing else needs a background thread).
		connector = await startTestServer({ WORKERS: 'on' });
		await shop('reset');
		browser = await launchChromium();
		const code = (
			await pluginRest(wp, '/local-code', { method: 'POST', body: { url: connector.url } })
		).json();
		const paired = await pluginRest(wp, '/pair', {
			method: 'POST',
			body: { url: connector.url, code: code.code },
		});
		expect(paired.status).toBe(200);
		tenantId = (paired.json().pairing as { tenantId: string }).tenantId;
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await connector?.stop();
		await shop('reset');
	});

	const settingsPage = () => adminPage(browser, wp, '/wp-admin/admin.php?page=nitka', '.nitka-quarantine');

	it('shows an empty state, then each item per connection with a redacted error, and retries one', async () => {
		let page = await settingsPage();
		await page.locator('.nitka-quarantine__empty').waitFor();
		expect(await page.textContent('.nitka-quarantine__empty')).toBe(
			'Nothing is waiting: every webhook and marketplace page was read.',
		);
		await page.close();

		const db = connector.server.db;
		const at = Date.now();
		const ozon = await pausedMarketplaceConnection(
			db,
			connector.server.box,
			tenantId,
			'ozon',
			'Ozon · Лента',
			at,
		);
		const pageError = 'result.postings.0.status: Invalid input: expected string, received undefined';
		const [ozonPage, ozonPush] = await seedQuarantine(db, tenantId, [
			{
				inbox: 'marketplaces',
				connectionId: ozon,
				source: 'ozon',
				payload: JSON.stringify({ result: { postings: [{ customer: { name: 'Иван Петров' } }] } }),
				error: pageError,
				receivedAt: at - 3_000,
			},
			// As V8 says it: the payload's own text, quoted.
			{
				inbox: 'marketplaces',
				connectionId: ozon,
				source: 'ozon',
				payload: 'x+79995550001',
				error: 'Unexpected token \'x\', "x+79995550001" is not valid JSON',
				receivedAt: at - 2_000,
			},
			{
				inbox: 'webhooks',
				connectionId: null,
				source: 'vk',
				payload: JSON.stringify({ object: { text: 'пишите на ivan@example.ru' } }),
				error: 'a VK event needs type, event_id and group_id (from ivan@example.ru)',
				receivedAt: at - 1_000,
			},
		]);

		// The proxy's answer carries only what the screen shows: no payload, no source key.
		const proxied = await pluginRest(wp, '/quarantine');
		expect(proxied.status).toBe(200);
		const raw = proxied.text;
		for (const secret of ['79995550001', 'Иван', 'ivan@example.ru', 'payload', 'sourceKey']) {
			expect(raw).not.toContain(secret);
		}

		page = await settingsPage();
		const list = page.locator('.nitka-quarantine');
		const ozonGroup = list.locator(`[data-group="${ozon}"]`);
		await ozonGroup.waitFor();
		expect(await ozonGroup.locator('h3').textContent()).toBe('Ozon · Лента 2 unread');
		expect(await ozonGroup.locator('.nitka-quarantine__error').allTextContents()).toEqual([
			'Unexpected token \'x\', "…" is not valid JSON',
			pageError,
		]);
		const item = ozonGroup.locator(`[data-item="${ozonPage}"]`);
		expect(await item.locator('.nitka-quarantine__source').textContent()).toBe('Ozon');
		expect(await item.textContent()).toMatch(/received .*\d{4}/);
		const vk = list.locator('[data-group="source:vk"]');
		expect(await vk.locator('h3').textContent()).toBe('VK 1 unread');
		expect(await vk.locator('.nitka-quarantine__error').textContent()).toBe(
			'a VK event needs type, event_id and group_id (from …)',
		);
		const shown = (await list.textContent()) ?? '';
		for (const secret of ['79995550001', 'Иван', 'ivan@example.ru']) expect(shown).not.toContain(secret);
		await saveScreenshot(page, 'wp-settings-quarantine');

		// The routes need the REST nonce: the logged-in cookie alone is not enough (no CSRF).
		const withoutNonce = await page.evaluate(async (id) => {
			const response = await fetch(`/wp-json/nitka/v1/quarantine/${id}/requeue`, {
				method: 'POST',
				credentials: 'same-origin',
			});
			return response.status;
		}, ozonPage);
		expect(withoutNonce).toBe(401);

		await item.getByRole('button', { name: 'Retry' }).click();
		await item.getByText('Queued again').waitFor();
		// Out of quarantine with a fresh budget (the worker may quarantine it again, with its own error).
		expect((await marketplaceItem(db, ozonPage)).error).not.toBe(pageError);
		expect((await marketplaceItem(db, ozonPush)).status).toBe('quarantined');
		await page.close();
	});
});
