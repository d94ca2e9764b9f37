import type { Browser, Page } from 'playwright-core';
import { applicationAuth, type WordPressHarness } from '../../wordpress/harness.ts';

/** A page signed in to wp-admin as the harness's administrator, opened at `path`, once `ready` shows. */
export async function adminPage(
	browser: Browser,
	wp: WordPressHarness,
	path: string,
	ready: string,
): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.goto(`${wp.url}/wp-login.php`);
	await page.fill('#user_login', wp.admin);
	await page.fill('#user_pass', wp.adminPassword);
	await Promise.all([page.waitForURL('**/wp-admin/**'), page.click('#wp-submit')]);
	await page.goto(`${wp.url}${path}`);
	await page.locator(ready).waitFor();
	return page;
}

/** Calls one of the plugin's REST routes as the administrator (Application Password). */
export async function pluginRest(
	wp: WordPressHarness,
	path: string,
	init: { method?: 'GET' | 'POST'; body?: unknown } = {},
): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
	const response = await fetch(`${wp.url}/wp-json/nitka/v1${path}`, {
		method: init.method ?? 'GET',
		headers: {
			authorization: applicationAuth(wp),
			...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
	});
	const text = await response.text();
	return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
