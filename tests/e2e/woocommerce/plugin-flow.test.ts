import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { createConnection } from '../../../connector-server/src/core/tenants/connections.ts';
import { createAgency } from '../../../connector-server/src/core/tenants/tenant-repository.ts';
import { sign } from '../../../connector-server/src/hosts/woocommerce/signature.ts';
import { launchChromium, saveScreenshot } from '../../browser/support/chromium.ts';
import { eventually, startTestServer, type TestServer } from '../../support/server.ts';
import {
	applicationAuth,
	ensureWordPress,
	phpunit,
	shop,
	type WordPressHarness,
} from '../../wordpress/harness.ts';

/** A storefront visitor: cookies kept across requests, redirects not followed. */
class Shopper {
	private readonly cookies = new Map<string, string>();

	async request(url: string, form?: Record<string, string>) {
		const response = await fetch(url, {
			method: form ? 'POST' : 'GET',
			redirect: 'manual',
			headers: {
				cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
				...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			},
			body: form ? new URLSearchParams(form).toString() : undefined,
		});
		for (const line of response.headers.getSetCookie()) {
			const [pair = ''] = line.split(';');
			const at = pair.indexOf('=');
			this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
		}
		return { status: response.status, text: await response.text() };
	}

	async login(wpUrl: string, login: string, password: string) {
		this.cookies.set('wordpress_test_cookie', 'WP%20Cookie%20check');
		const answer = await this.request(`${wpUrl}/wp-login.php`, {
			log: login,
			pwd: password,
			'wp-submit': 'Log In',
			testcookie: '1',
		});
		expect(answer.status).toBe(302);
	}
}

interface CartRow {
	key: string;
	status: string;
	dueIn: number;
	payload: { cart: { email: string; customerId: number; consent: { given: boolean } } };
}

/**
 * The plugin in a real WordPress 6.5 (MariaDB, php -S) with the WooCommerce stand-in, paired with
 * a real connector: PHP units, pairing, signed intake, timeline, thank-you deep link, replies and
 * the wp-admin screens in Chromium.
 */
describe('WooCommerce plugin ↔ connector', () => {
	let wp: WordPressHarness;
	let connector: TestServer;
	let browser: Browser;
	let tenantId: string;
	const unique = Date.now().toString(36);
	const email = `anna.${unique}@lenta-shop.ru`;
	const phone = `+7912${String(Date.now()).slice(-7)}`;

	const rest = async (path: string, init: { method?: string; body?: unknown } = {}) => {
		const response = await fetch(`${wp.url}/wp-json/nitka/v1${path}`, {
			method: init.method ?? 'GET',
			headers: { authorization: applicationAuth(wp), 'content-type': 'application/json' },
			body: init.body === undefined ? undefined : JSON.stringify(init.body),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	beforeAll(async () => {
		wp = await ensureWordPress();
		connector = await startTestServer();
		await shop('reset');
		browser = await launchChromium();
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await connector?.stop();
	});

	it('passes the PHP unit tests inside WordPress', async () => {
		expect(await phpunit()).toMatch(/OK \(\d+ tests/);
	});

	it('pairs through the settings REST API (Application Password) and the connector pings back signed', async () => {
		expect((await fetch(`${wp.url}/wp-json/nitka/v1/settings`)).status).toBe(401);
		const code = await rest('/local-code', { method: 'POST', body: { url: connector.url } });
		expect(code.status).toBe(200);
		const paired = await rest('/pair', {
			method: 'POST',
			body: { url: connector.url, code: code.body.code },
		});
		expect(paired.status).toBe(200);
		expect(paired.body.paired).toBe(true);
		tenantId = (paired.body.pairing as { tenantId: string }).tenantId;
		// A code is single-use.
		const again = await rest('/pair', { method: 'POST', body: { url: connector.url, code: code.body.code } });
		expect(again.status).toBe(502);
		// First-run backfill of past orders, with progress in the settings (WP-Cron is off in the harness: step it here).
		const backfill = await rest('/backfill', { method: 'POST', body: {} });
		const progress = backfill.body.backfill as { status: string; done: number; total: number };
		expect(progress.status).toBe('done');
		expect(progress.done).toBe(progress.total);
		// The connector's signed ping reached the plugin (outbox → WordPress REST).
		await eventually(async () => {
			const status = await rest('/settings');
			return (status.body.health as { verified_at?: number }).verified_at ? true : undefined;
		}, 20_000);
	});

	it('re-pairs with a fresh local code only because the plugin signs with its current pairing', async () => {
		const code = await rest('/local-code', { method: 'POST', body: { url: connector.url } });
		const again = await rest('/pair', { method: 'POST', body: { url: connector.url, code: code.body.code } });
		expect(again.status).toBe(200);
		expect((again.body.pairing as { tenantId: string }).tenantId).toBe(tenantId);
		// The same code from anyone else on the machine, unsigned, would not take the tenant.
		const stranger = await fetch(`${connector.url}/api/v1/woocommerce/local-pairing-codes`, {
			method: 'POST',
		});
		const taken = await fetch(`${connector.url}/api/v1/woocommerce/pair`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				code: ((await stranger.json()) as { code: string }).code,
				siteUrl: wp.url,
				siteName: 'Not the shop',
			}),
		});
		expect(taken.status).toBe(409);
	});

	it('issues pairing codes to API keys and refuses insecure connector URLs', async () => {
		const agency = await createAgency(connector.server.db, 'Agency', Date.now());
		const key = await issueApiKey(connector.server.db, { agencyId: agency.id }, 'wp', Date.now());
		const response = await fetch(`${connector.url}/api/v1/woocommerce/pairing-codes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(201);
		expect(((await response.json()) as { code: string }).code).toMatch(
			/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/,
		);
		const insecure = await rest('/local-code', {
			method: 'POST',
			body: { url: 'http://connector.example.com' },
		});
		expect(insecure.body.code).toBe('nitka_insecure_url');
	});

	it('rejects unsigned, tampered, stale and replayed requests', async () => {
		const { secret, siteId } = await shop<{ secret: string; siteId: string }>('secret');
		const path = '/api/v1/woocommerce/timeline?email=nobody%40example.com';
		const call = (headers: Record<string, string>) =>
			fetch(`${connector.url}${path}`, { headers: { 'x-nitka-site': siteId, ...headers } });
		const signed = (timestamp: number, nonce: string, key = secret) => ({
			'x-nitka-timestamp': String(timestamp),
			'x-nitka-nonce': nonce,
			'x-nitka-signature': sign(key, { method: 'GET', path, timestamp, nonce, body: '' }),
		});
		const now = Math.floor(Date.now() / 1000);
		expect((await call({})).status).toBe(401);
		expect((await call(signed(now, 'nonce-wrong-key-000', 'not-the-secret'))).status).toBe(401);
		expect((await call(signed(now - 301, 'nonce-stale-0000000'))).status).toBe(401);
		const fresh = signed(now, 'nonce-fresh-0000000');
		expect((await call(fresh)).status).toBe(200);
		expect((await call(fresh)).status).toBe(401);
	});

	let order: { id: number; received: string; edit: string };
	let customerUser: number;

	it('sends a WooCommerce order to the connector: it lands on the customer timeline with phone, email and customer id', async () => {
		customerUser = (
			await shop<{ id: number }>('create-customer', {
				login: `anna-${unique}`,
				email,
				phone,
				firstName: 'Анна',
				lastName: 'Петрова',
			})
		).id;
		order = await shop('create-order', {
			status: 'processing',
			customer_id: customerUser,
			total: '2490.00',
			currency: 'RUB',
			billing: { first_name: 'Анна', last_name: 'Петрова', email, phone },
			items: [{ name: 'Льняная скатерть', quantity: 1, total: '2490.00', sku: 'LIN-1' }],
		});
		await shop('set-status', { id: order.id, status: 'completed' });
		const delivered = await shop<{ sent: number; error: string | null }>('deliver');
		expect(delivered.error).toBeNull();
		expect(delivered.sent).toBeGreaterThanOrEqual(3);

		const { server } = connector;
		const events = await eventually(async () => {
			const rows = await server.db
				.selectFrom('events')
				.select(['type', 'data', 'customer_id'])
				.where('tenant_id', '=', tenantId)
				.where('channel', '=', 'woocommerce')
				.execute();
			const mine = rows.filter((row) => row.data.includes(`"orderId":"${order.id}"`));
			return mine.some((row) => row.type === 'order.status_changed' && row.data.includes('"to":"delivered"'))
				? mine
				: undefined;
		}, 15_000);
		expect(new Set(events.map((row) => row.customer_id)).size).toBe(1);
		// Backfill and live hooks overlap: the connector keeps one order.created per order.
		const timeline = await rest(`/timeline?order=${order.id}`);
		expect(timeline.status).toBe(200);
		const items = (timeline.body.timeline as { items: { type: string }[] }).items;
		expect(items.filter((e) => e.type === 'order.created')).toHaveLength(1);
		const customer = timeline.body.customer as { identities: { type: string }[] };
		expect(customer.identities.map((i) => i.type).sort()).toEqual(['email', 'phone', 'woocommerce_customer']);
	});

	it('shows the order-updates button with a single-use deep link that ties the Telegram chat to the order', async () => {
		const webhookSecret = `tg-secret-${unique}`;
		const connection = await createConnection(
			connector.server.db,
			connector.server.box,
			{
				tenantId,
				channel: 'telegram',
				name: '@nitka_shop_bot',
				credentials: { token: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' },
				webhookSecret,
				settings: { botId: '123456', username: 'nitka_shop_bot' },
			},
			Date.now(),
		);
		const page = await (await fetch(order.received)).text();
		const token = /https:\/\/t\.me\/nitka_shop_bot\?start=([A-Za-z0-9_-]+)/.exec(page)?.[1];
		expect(token, 'thank-you page carries a t.me deep link').toBeDefined();
		// The customer's order emails (HTML and plain text) and My Account carry the same button, each with a fresh token.
		const html = (await shop<{ body: string }>('order-email', { id: order.id })).body;
		const plain = (await shop<{ body: string }>('order-email', { id: order.id, plain: true })).body;
		const emailToken = /https:\/\/t\.me\/nitka_shop_bot\?start=([A-Za-z0-9_-]+)/.exec(html)?.[1];
		expect(emailToken).toBeDefined();
		expect(emailToken).not.toBe(token);
		expect(plain).toMatch(
			/^Get order updates in Telegram: https:\/\/t\.me\/nitka_shop_bot\?start=[A-Za-z0-9_-]+$/m,
		);
		expect((await shop<{ body: string }>('order-email', { id: order.id, admin: true })).body).toBe('');
		const actions = await shop<Record<string, { url: string; name: string }>>('my-orders-actions', {
			id: order.id,
		});
		expect(actions['nitka-updates']?.url).toContain('view-order');
		const hook = await fetch(`${connector.url}/hooks/telegram/${connection.id}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
			body: JSON.stringify({
				update_id: 9001,
				message: {
					message_id: 1,
					date: Math.floor(Date.now() / 1000),
					chat: { id: 555001, type: 'private', first_name: 'Anna' },
					from: { id: 555001, is_bot: false, first_name: 'Anna' },
					text: `/start ${token}`,
					entities: [{ type: 'bot_command', offset: 0, length: 6 }],
				},
			}),
		});
		expect(hook.status).toBe(200);
		await fetch(`${connector.url}/hooks/telegram/${connection.id}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
			body: JSON.stringify({
				update_id: 9002,
				message: {
					message_id: 2,
					date: Math.floor(Date.now() / 1000),
					chat: { id: 555001, type: 'private', first_name: 'Anna' },
					from: { id: 555001, is_bot: false, first_name: 'Anna' },
					text: 'Здравствуйте! Когда привезут <b>скатерть</b>?',
				},
			}),
		});
		await eventually(async () => {
			const timeline = await rest(`/timeline?order=${order.id}`);
			const items = (timeline.body.timeline as { items: { type: string }[] } | null)?.items ?? [];
			return items.some((e) => e.type === 'message.in') ? true : undefined;
		}, 15_000);
	});

	it('turns idle carts into cart.abandoned: signed-in customers and consenting guests only, once, cancelled by an order', async () => {
		const product = (
			await shop<{ id: number }>('create-product', { name: 'Льняная салфетка', price: '450', sku: 'LIN-N' })
		).id;
		const checkout = async (who: Shopper) => {
			const html = (await who.request(`${wp.url}/?wc-stand-in=checkout`)).text;
			return {
				html,
				review: /"update_order_review_nonce":"(\w+)"/.exec(html)?.[1] ?? '',
				process: /name="woocommerce-process-checkout-nonce" value="(\w+)"/.exec(html)?.[1] ?? '',
			};
		};
		const review = async (who: Shopper, nonce: string, fields: Record<string, string>) =>
			await who.request(`${wp.url}/?wc-ajax=update_order_review`, {
				security: nonce,
				post_data: new URLSearchParams(fields).toString(),
			});
		const strangerEmail = `stranger.${unique}@example.com`;
		const guestEmail = `oleg.${unique}@example.com`;
		const guestPhone = `+7913${String(Date.now()).slice(-7)}`;

		// A guest who leaves an email without ticking the box: never reported.
		const stranger = new Shopper();
		expect((await stranger.request(`${wp.url}/?add-to-cart=${product}&quantity=2`)).status).toBe(302);
		const strangerPage = await checkout(stranger);
		expect(strangerPage.html).toContain('name="nitka_marketing_consent"');
		expect((await review(stranger, strangerPage.review, { billing_email: strangerEmail })).status).toBe(200);

		// A guest who ticks it: reported after the idle time.
		const guest = new Shopper();
		await guest.request(`${wp.url}/?add-to-cart=${product}&quantity=3`);
		const guestPage = await checkout(guest);
		const consenting = {
			billing_email: guestEmail,
			billing_phone: guestPhone,
			billing_first_name: 'Олег',
			nitka_marketing_consent: '1',
		};
		expect((await review(guest, guestPage.review, consenting)).status).toBe(200);
		// A forged refresh without WooCommerce's nonce changes nothing.
		expect((await review(guest, 'bad-nonce', { billing_email: 'x@example.com' })).status).toBe(403);

		// A signed-in customer's cart is armed too, then the order cancels it.
		const anna = new Shopper();
		await anna.login(wp.url, `anna-${unique}`, 'customer-pass-123');
		await anna.request(`${wp.url}/?add-to-cart=${product}`);

		let carts = await shop<CartRow[]>('carts');
		const pending = carts.filter((row) => row.status === 'pending');
		expect(pending.map((row) => row.payload.cart.email).sort()).toEqual([email, guestEmail].sort());
		expect(carts.some((row) => row.payload.cart.email === strangerEmail)).toBe(false);
		expect(Math.min(...pending.map((row) => row.dueIn))).toBeGreaterThan(3500);
		// Delivering now sends none of them: they are not idle yet.
		await shop('deliver');
		expect((await shop<CartRow[]>('carts')).filter((row) => row.status === 'pending')).toHaveLength(2);

		const annaPage = await checkout(anna);
		const placed = await anna.request(`${wp.url}/?wc-ajax=checkout`, {
			'woocommerce-process-checkout-nonce': annaPage.process,
			billing_first_name: 'Анна',
			billing_last_name: 'Петрова',
			billing_email: email,
			billing_phone: phone,
			nitka_marketing_consent: '1',
		});
		expect(JSON.parse(placed.text)).toMatchObject({ result: 'success' });
		carts = await shop<CartRow[]>('carts');
		expect(carts.map((row) => row.payload.cart.email)).toEqual([guestEmail]);

		// An hour later the guest's cart goes out, once; the same cart again queues nothing new.
		await shop('age-carts', { seconds: 3600 });
		expect((await shop<{ error: string | null }>('deliver')).error).toBeNull();
		await review(guest, guestPage.review, consenting);
		carts = await shop<CartRow[]>('carts');
		expect(carts.map((row) => row.status)).toEqual(['sent']);

		// Anna's order goes out too (with the consent she ticked at checkout); her cart never does.
		await shop('deliver');
		const { db } = connector.server;
		const rows = await eventually(async () => {
			const found = await db
				.selectFrom('events')
				.select(['type', 'data', 'customer_id', 'source_key'])
				.where('tenant_id', '=', tenantId)
				.where('type', 'in', ['cart.abandoned', 'consent.given'])
				.execute();
			return found.filter((row) => row.type === 'consent.given').length >= 2 ? found : undefined;
		}, 15_000);
		const abandoned = rows.filter((row) => row.type === 'cart.abandoned');
		expect(abandoned).toHaveLength(1);
		expect(JSON.parse(abandoned[0]?.data ?? '{}')).toMatchObject({
			source: 'woocommerce',
			total: '1350.00',
			currency: 'RUB',
			idleSeconds: 3600,
			items: [{ name: 'Льняная салфетка', quantity: 3, price: '450.00', sku: 'LIN-N' }],
		});
		const consents = rows.filter((row) => row.type === 'consent.given');
		for (const consent of consents) {
			expect(JSON.parse(consent.data)).toMatchObject({
				purpose: 'marketing',
				source: 'woocommerce:checkout',
			});
		}
		// The guest's consent sits on the same customer as the cart; Anna's came with her order.
		expect(consents.find((row) => row.source_key.includes(':cart:'))?.customer_id).toBe(
			abandoned[0]?.customer_id,
		);
		expect(consents.some((row) => /:order:\d+:consent$/.test(row.source_key))).toBe(true);
		expect((await rest(`/timeline?email=${encodeURIComponent(strangerEmail)}`)).body.customer).toBeNull();
	});

	async function login(): Promise<Page> {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await page.goto(`${wp.url}/wp-login.php`);
		await page.fill('#user_login', wp.admin);
		await page.fill('#user_pass', wp.adminPassword);
		await Promise.all([page.waitForURL('**/wp-admin/**'), page.click('#wp-submit')]);
		return page;
	}

	it('shows the timeline on the order screen in wp-admin and sends a reply from it', async () => {
		const page = await login();
		await page.goto(order.edit);
		const panel = page.locator('#nitka-timeline');
		await panel.locator('.nitka-item').first().waitFor();
		await expect(panel.locator('.nitka-item__text').allTextContents()).resolves.toEqual(
			expect.arrayContaining(['Здравствуйте! Когда привезут <b>скатерть</b>?']),
		);
		expect(await panel.locator('.nitka-timeline-list b').count()).toBe(0);
		await panel.locator('textarea').fill('Добрый день! Курьер привезёт завтра.');
		await saveScreenshot(page, 'wp-order-timeline');
		await panel.getByRole('button', { name: 'Send' }).click();
		await panel.locator('.nitka-item--out').first().waitFor();
		expect(await panel.locator('.nitka-item--out .nitka-item__text').first().textContent()).toBe(
			'Добрый день! Курьер привезёт завтра.',
		);
		await saveScreenshot(page, 'wp-order-timeline-replied');

		await page.goto(`${wp.url}/wp-admin/user-edit.php?user_id=${customerUser}`);
		await page.locator('.nitka-timeline .nitka-item').first().waitFor();
		await page.locator('.nitka-timeline').scrollIntoViewIfNeeded();
		await saveScreenshot(page, 'wp-user-timeline');

		await page.goto(`${wp.url}/wp-admin/admin.php?page=nitka`);
		await page.locator('.nitka-health').waitFor();
		await saveScreenshot(page, 'wp-settings-health');

		await page.goto(`${wp.url}/wp-admin/admin.php?page=nitka-lookup`);
		await page.getByLabel('Email').fill(email);
		await page.getByRole('button', { name: 'Find' }).click();
		await page.locator('.nitka-item').first().waitFor();
		await saveScreenshot(page, 'wp-customer-lookup');
		await page.close();
	});

	it('shows the panel on the legacy (posts) order screen too', async () => {
		await shop('hpos', { on: false });
		try {
			const page = await login();
			await page.goto(`${wp.url}/wp-admin/post.php?post=${order.id}&action=edit`);
			await page.locator('#nitka-timeline .nitka-item').first().waitFor();
			await saveScreenshot(page, 'wp-order-timeline-legacy');
			await page.close();
		} finally {
			await shop('hpos', { on: true });
		}
	});
});
