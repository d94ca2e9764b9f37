import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, newId } from '../../../connector-server/src/core/clock.ts';
import { deriveCounterKeys, issueQrToken } from '../../../connector-server/src/core/counter/qr-tokens.ts';
import { resolveCustomer } from '../../../connector-server/src/core/identity/identity-graph.ts';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { createTenant } from '../../../connector-server/src/core/tenants/tenant-repository.ts';
import { loadMasterKey } from '../../../connector-server/src/security/master-key.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { chromiumArgs, chromiumPath, launchChromium, saveScreenshot } from '../support/chromium.ts';
import { writeQrVideo } from './support/qr-video.ts';

// The real built counter screen, served by the real connector at /counter, driven in Chromium
// as staff would use it on a tablet: pair, scan (a keyboard-wedge scanner types the QR token and
// Enter), serve the customer. The server's clock is ours, so a QR can be let expire.

const screenRoot = fileURLToPath(new URL('../../../connector-server/counter-screen/', import.meta.url));
const XSS_NAME = 'Анна <img src=x onerror=alert(1)> Петрова';

/** What a keyboard-wedge scanner types for `text` while the tablet's layout is Russian. */
function onRussianLayout(text: string): string {
	const en = 'qwertyuiopasdfghjklzxcvbnm';
	const ru = 'йцукенгшщзфывапролдячсмить';
	return [...text]
		.map((c) => {
			if (c === '.') return 'ю';
			const at = en.indexOf(c.toLowerCase());
			if (at < 0) return c;
			return c === c.toLowerCase() ? ru[at]! : ru[at]!.toUpperCase();
		})
		.join('');
}

describe('the counter screen', () => {
	let t: TestServer;
	let browser: Browser;
	let tenantId = '';
	let apiKey = '';
	let deviceKey = '';
	let deviceId = '';
	let locationId = '';
	let anna = '';
	let annaOrder = '';
	let secondOrder = '';
	let returnId = '';
	let skew = 0;
	const clock: Clock = { now: () => Date.now() + skew };
	const dialogs: string[] = [];
	let en: BrowserContext;
	let page: Page;

	beforeAll(async () => {
		await build({ root: screenRoot, configFile: `${screenRoot}vite.config.ts`, logLevel: 'warn' });
		t = await startTestServer({}, { clock });
		browser = await launchChromium();
		const db = t.server.db;
		const at = clock.now();
		const tenant = await createTenant(
			db,
			{ kind: 'woocommerce', name: 'Лавка «Нитка»', externalId: `shop-${Math.random()}` },
			at,
		);
		tenantId = tenant.id;
		apiKey = (await issueApiKey(db, { tenantId }, 'counter-test', at)).key;
		const location = await admin<{ id: string }>('/locations', {
			name: 'Магазин на Тверской',
			address: 'Тверская, 1',
			kind: 'store',
		});
		locationId = location.id;
		const device = await admin<{ device: { id: string }; key: string }>(`/locations/${locationId}/devices`, {
			name: 'Касса 1',
		});
		deviceKey = device.key;
		deviceId = device.device.id;
		anna = (
			await resolveCustomer(db, {
				tenantId,
				identifiers: [
					{ type: 'telegram', value: '4242' },
					{ type: 'phone', value: '+79161234567', verified: true },
				],
				source: 'telegram',
				profile: { name: XSS_NAME, source: 'messenger' },
				at: at - 86_400_000,
			})
		).customerId;
		annaOrder = await pickupOrder(anna, 'W-1001', { items: ANNA_ITEMS, total: '1200.00' });
		secondOrder = await pickupOrder(anna, 'W-1002');
		await promoCode('VK-ANNA-10', anna, 'Скидка 10% <b>на всё</b>');
		await promoCode('VK-ANNA-20', anna, 'Скидка 20%');
		returnId = await approvedReturn(anna);
		en = await browser.newContext({ locale: 'en-US', viewport: { width: 1180, height: 820 } });
		page = await en.newPage();
		page.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.accept();
		});
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await t?.stop();
	});

	async function admin<T>(path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${t.url}/api/v1/tenants/${tenantId}${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	}

	/** A fresh card QR token, as the customer's card page shows it. */
	async function cardToken(): Promise<string> {
		return (await admin<{ token: string }>(`/customers/${anna}/card-token`, {})).token;
	}

	/** What W-1001 holds (an item name with markup in it stays text). */
	const ANNA_ITEMS = [
		{ sku: '101', name: 'Чай «Утро» <i>200 г</i>', quantity: 2, price: '450.00' },
		{ sku: '102', name: 'Мёд', quantity: 1, price: '300.00' },
	];

	async function pickupOrder(
		customerId: string,
		number: string,
		contents?: { items: typeof ANNA_ITEMS; total: string },
	): Promise<string> {
		const id = newId();
		const at = clock.now();
		await t.server.db
			.insertInto('orders')
			.values({
				id,
				tenant_id: tenantId,
				source: 'chat',
				external_id: `chat-${id}`,
				connection_id: null,
				number,
				status: 'created',
				raw_status: 'new',
				status_at: at,
				customer_id: customerId,
				buyer_known: 1,
				created_at: at,
				updated_at: at,
			})
			.execute();
		await t.server.db
			.insertInto('order_pickups')
			.values({
				tenant_id: tenantId,
				order_id: id,
				location_id: locationId,
				customer_id: customerId,
				state: 'to_prepare',
				created_at: at,
				updated_at: at,
				ready_at: null,
				collected_at: null,
				cancelled_at: null,
				collected_device_id: null,
				...(contents
					? { items: JSON.stringify(contents.items), total: contents.total, currency: 'RUB' }
					: {}),
			})
			.execute();
		return id;
	}

	async function promoCode(code: string, customerId: string, offer: string): Promise<void> {
		const at = clock.now();
		const campaign = newId(at);
		await t.server.db
			.insertInto('promo_campaigns')
			.values({
				id: campaign,
				tenant_id: tenantId,
				name: 'ВК: осень',
				offer,
				status: 'active',
				settings: '{}',
				starts_at: null,
				expires_at: null,
				created_at: at,
				updated_at: at,
				issued_at: null,
			})
			.execute();
		await t.server.db
			.insertInto('promo_codes')
			.values({
				id: newId(at),
				tenant_id: tenantId,
				campaign_id: campaign,
				customer_id: customerId,
				code,
				issued_at: at,
				expires_at: at + 30 * 86_400_000,
				redeemed_at: null,
				redeemed_location_id: null,
				redeemed_device_id: null,
			})
			.execute();
	}

	async function approvedReturn(customerId: string): Promise<string> {
		const id = newId();
		const at = clock.now();
		await t.server.db
			.insertInto('returns')
			.values({
				id,
				tenant_id: tenantId,
				customer_id: customerId,
				order_id: null,
				state: 'approved',
				reason: 'не подошёл размер',
				items: JSON.stringify([{ name: 'Шарф', quantity: 1, price: '1990.00' }]),
				total: '1990.00',
				currency: 'RUB',
				host: null,
				host_ticket_id: null,
				host_ticket_url: null,
				deadline_at: at + 14 * 86_400_000,
				created_at: at,
				updated_at: at,
				approved_at: at,
				received_at: null,
				received_location_id: null,
			})
			.execute();
		return id;
	}

	async function events(type: string) {
		return await t.server.db
			.selectFrom('events')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('type', '=', type)
			.execute();
	}

	/** Waits for the status line to show `kind` and returns its text. */
	async function message(p: Page, kind: 'ok' | 'error', timeout = 15_000): Promise<string> {
		await p.waitForSelector(`[data-role="message"][data-kind="${kind}"]`, { timeout });
		return (await p.textContent('[data-role="message-text"]')) ?? '';
	}

	/** A keyboard-wedge scanner: types the whole code fast, then Enter, into whatever has focus. */
	async function scan(p: Page, code: string): Promise<void> {
		await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
		await p.keyboard.type(code, { delay: 0 });
		await p.keyboard.press('Enter');
	}

	/** Scans a code with no card shown, and waits for the card it brings up. */
	async function identifyByScan(p: Page, code: string): Promise<string> {
		if (await p.$('[data-role="close-card"]')) await p.click('[data-role="close-card"]');
		await scan(p, code);
		return await shownCustomer(p);
	}

	async function shownCustomer(p: Page): Promise<string> {
		await p.waitForSelector('[data-role="customer-card"]', { timeout: 15_000 });
		return (await p.textContent('[data-role="customer-name"]')) ?? '';
	}

	it('is served at /counter under the connector’s CSP, and pairs once with a device key', async () => {
		const response = await fetch(`${t.url}/counter`, { redirect: 'manual' });
		expect(response.status).toBe(301);
		expect(response.headers.get('location')).toBe('counter/');
		const index = await fetch(`${t.url}/counter/`);
		expect(index.status).toBe(200);
		const csp = index.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("script-src 'self'");
		expect(csp).toContain("default-src 'self'");

		await page.goto(`${t.url}/counter`);
		expect(page.url()).toBe(`${t.url}/counter/`);
		await page.waitForSelector('[data-view="pair"]');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		expect(await page.textContent('h1')).toBe('Pair this counter');

		await page.fill('[data-role="pair-input"]', 'nkc_wrong_key');
		await page.click('[data-role="pair"]');
		expect(await message(page, 'error')).toContain('The device key was refused');

		await page.fill('[data-role="pair-input"]', deviceKey);
		await page.click('[data-role="pair"]');
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		expect(await page.textContent('[data-role="location"]')).toBe('Location: Магазин на Тверской');
		expect(await page.textContent('[data-role="device"]')).toBe('Device: Касса 1');
		expect(await page.textContent('[data-role="shop"]')).toBe('Лавка «Нитка»');
		// This location's pickup orders, to prepare.
		await page.waitForSelector(`[data-group="to_prepare"] li[data-order="${annaOrder}"]`);
		// Each order says what it holds: its items and total in one line.
		const summary = await page.textContent(
			`[data-group="to_prepare"] li[data-order="${annaOrder}"] [data-role="pickup-summary"]`,
		);
		expect(summary).toBe('Чай «Утро» <i>200 г</i> × 2, Мёд × 1 · Total RUB\u00a01,200.00');
		expect(await page.$('[data-role="pickup-list"] i')).toBeNull();
		await saveScreenshot(page, 'counter-screen-en-paired');

		// Kept on the tablet: a reload needs no key.
		await page.reload();
		await page.waitForSelector('[data-view="main"] [data-role="session"]');
		expect(await page.evaluate(() => localStorage.getItem('nitka.counter.deviceKey'))).toBe(deviceKey);
	});

	it('marks a pickup order ready from the list', async () => {
		await page.click(`[data-action="mark-ready"][data-order="${annaOrder}"]`);
		expect(await message(page, 'ok')).toBe('Order W-1001 is ready. The customer has been told.');
		await page.waitForSelector(`[data-group="ready"] li[data-order="${annaOrder}"]`);
		const row = await t.server.db
			.selectFrom('order_pickups')
			.select('state')
			.where('order_id', '=', annaOrder)
			.executeTakeFirstOrThrow();
		expect(row.state).toBe('ready');
	});

	it('identifies by a scanned QR token and shows the card, customer text as text', async () => {
		expect(await identifyByScan(page, await cardToken())).toBe(XSS_NAME);
		expect(await page.$('[data-role="customer-card"] img')).toBeNull();
		expect(await message(page, 'ok')).toBe(`Customer found: ${XSS_NAME}`);
		expect(await page.textContent('[data-role="loyalty-number"]')).toMatch(/^2 \d{6} \d{6}$/);
		const identities = (await page.textContent('[data-role="identities"]')) ?? '';
		expect(identities).toContain('Phone: +7 *** ***-**-67');
		expect(identities).not.toContain('1234567');
		expect(await page.textContent('[data-role="card-pickups"]')).toContain('Order W-1001');
		// What to hand over: the items (as text) and the total; an order without known items says so.
		const anna1001 = `[data-role="card-pickups"] li[data-order="${annaOrder}"]`;
		expect(
			await page.$$eval(`${anna1001} [data-role="pickup-items"] li`, (items) =>
				items.map((i) => i.textContent),
			),
		).toEqual(['Чай «Утро» <i>200 г</i> × 2', 'Мёд × 1']);
		expect(await page.textContent(`${anna1001} [data-role="pickup-total"]`)).toBe('Total RUB\u00a01,200.00');
		expect(await page.$('[data-role="card-pickups"] i')).toBeNull();
		expect(
			await page.textContent(
				`[data-role="card-pickups"] li[data-order="${secondOrder}"] [data-role="pickup-contents"]`,
			),
		).toBe('Items unknown — check the order in the shop.');
		const promos = (await page.textContent('[data-role="card-promos"]')) ?? '';
		expect(promos).toContain('VK-ANNA-10');
		expect(promos).toContain('Скидка 10% <b>на всё</b>');
		expect(await page.$('[data-role="card-promos"] b')).toBeNull();
		expect(await page.textContent('[data-role="card-returns"]')).toContain('не подошёл размер');
		await saveScreenshot(page, 'counter-screen-en-card');
		expect(dialogs).toEqual([]);
	});

	it('refuses a replayed QR and an expired one, saying so', async () => {
		const token = await cardToken();
		await identifyByScan(page, token);
		await scan(page, token);
		expect(await message(page, 'error')).toBe(
			'This QR code was already used. Ask the customer to open their card again.',
		);
		await saveScreenshot(page, 'counter-screen-en-replayed-qr');

		const old = await cardToken();
		skew = 121_000; // the card token lives 120 s
		try {
			await scan(page, old);
			expect(await message(page, 'error')).toBe(
				'This QR code has expired. Ask the customer to open their card again.',
			);
		} finally {
			skew = 0;
		}
		const forged = `${old.slice(0, -4)}AAAA`;
		await scan(page, forged);
		expect(await message(page, 'error')).toBe('This QR code is not from our shop or is damaged.');
	});

	it('finds the customer when the answer to a scan was lost: the spent QR is asked again with the same key', async () => {
		const keys: string[] = [];
		await page.route('**/api/v1/counter/identify', async (route) => {
			keys.push(route.request().headers()['idempotency-key'] ?? '');
			if (keys.length === 1) {
				await route.fetch(); // the QR is spent at the server…
				await route.abort('timedout'); // …but the card never reaches the tablet
				return;
			}
			await route.continue();
		});
		try {
			expect(await identifyByScan(page, await cardToken())).toBe(XSS_NAME);
		} finally {
			await page.unroute('**/api/v1/counter/identify');
		}
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(keys[0]);
	});

	it('gives up on an answer after 20 s and asks again with the same key', async () => {
		// Its own context: the fake clock governs a whole context.
		const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1180, height: 820 } });
		const slow = await context.newPage();
		await slow.clock.install();
		await slow.goto(`${t.url}/counter/`);
		await slow.fill('[data-role="pair-input"]', deviceKey);
		await slow.click('[data-role="pair"]');
		await slow.waitForSelector('[data-role="session"]');
		const keys: string[] = [];
		await slow.route('**/api/v1/counter/identify', async (route) => {
			keys.push(route.request().headers()['idempotency-key'] ?? '');
			if (keys.length === 1) {
				await route.fetch().catch(() => undefined); // the server answers, the answer is stuck
				return; // never delivered: the tablet's own timeout has to give up on it
			}
			await route.continue();
		});
		await scan(slow, await cardToken());
		await expect.poll(() => keys.length).toBe(1);
		// Nothing is sent again while the tablet still waits for the answer…
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(keys).toHaveLength(1);
		// …and once 20 s have passed on its clock it gives up and asks again.
		await slow.clock.runFor(20_000);
		await expect
			.poll(
				async () => {
					await slow.clock.runFor(500);
					return keys.length;
				},
				{ timeout: 10_000 },
			)
			.toBe(2);
		expect(await shownCustomer(slow)).toBe(XSS_NAME);
		expect(keys[1]).toBe(keys[0]);
		await context.close();
	});

	it('confirms a pickup once, though the button was tapped twice', async () => {
		await identifyByScan(page, await cardToken());
		const posts: Request[] = [];
		page.on('request', (request) => {
			if (request.method() === 'POST' && request.url().endsWith(`/customers/${anna}/pickups`))
				posts.push(request);
		});
		await page.dblclick(`[data-action="hand-over"][data-order="${annaOrder}"]`);
		expect(await message(page, 'ok')).toBe(
			'Order W-1001 handed over. The customer gets a thank-you in their chat.',
		);
		const pickups = (await events('pos.pickup')).map(
			(e) => JSON.parse(e.data) as { orderId: string; orderNumber?: string },
		);
		expect(pickups.filter((p) => p.orderId === annaOrder)).toEqual([
			expect.objectContaining({ orderNumber: 'W-1001' }),
		]);
		// The card's timeline names the order handed over.
		await page.waitForSelector('[data-role="card-timeline"] li[data-type="pos.pickup"]');
		expect(await page.textContent('[data-role="card-timeline"] li[data-type="pos.pickup"]')).toContain(
			'Order collected: Order W-1001',
		);
		expect(new Set(posts.map((r) => r.headers()['idempotency-key'])).size).toBe(1);
		// Gone from the card; the other order is still there.
		await page.waitForSelector(`[data-action="hand-over"][data-order="${annaOrder}"]`, { state: 'detached' });
		expect(await page.$(`[data-action="hand-over"][data-order="${secondOrder}"]`)).not.toBeNull();
		const row = await t.server.db
			.selectFrom('order_pickups')
			.select(['state', 'collected_device_id'])
			.where('order_id', '=', annaOrder)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ state: 'collected', collected_device_id: deviceId });
	});

	it('redeems a promo code once on a double tap, and refuses it the second time', async () => {
		await page.dblclick('[data-action="redeem"][data-code="VK-ANNA-10"]');
		expect(await message(page, 'ok')).toBe('Promo code VK-ANNA-10 redeemed.');
		await page.waitForSelector('[data-action="redeem"][data-code="VK-ANNA-10"]', { state: 'detached' });
		const redeemed = (await events('promo.redeemed')).map((e) => JSON.parse(e.data) as { code: string });
		expect(redeemed.filter((r) => r.code === 'VK-ANNA-10')).toHaveLength(1);

		// Typed again (the customer reads it out): the server refuses, the screen says why.
		await page.fill('[data-role="promo-input"]', 'vk-anna-10');
		await page.click('[data-role="promo-redeem"]');
		expect(await message(page, 'error')).toBe('This promo code was already redeemed.');
		await saveScreenshot(page, 'counter-screen-en-code-redeemed');
	});

	it('records a purchase once when the first answer is lost on a slow connection', async () => {
		const keys: string[] = [];
		let lost = false;
		await page.route('**/api/v1/counter/customers/*/purchases', async (route) => {
			keys.push(route.request().headers()['idempotency-key'] ?? '');
			if (!lost) {
				lost = true;
				await route.fetch(); // the server records it…
				await route.abort('timedout'); // …and the answer never arrives
				return;
			}
			await route.continue();
		});
		await page.fill('[data-form="purchase"] input[name="receiptId"]', 'R-77');
		await page.fill('[data-form="purchase"] input[name="total"]', '1 250,50');
		await page.click('[data-role="add-item"]');
		await page.fill('[data-form="purchase"] input[name="itemName"]', 'Шарф <script>');
		await page.fill('[data-form="purchase"] input[name="itemPrice"]', '1250.50');
		await page.click('[data-role="purchase-submit"]');
		expect(await message(page, 'ok')).toBe('Purchase recorded.');
		await page.unroute('**/api/v1/counter/customers/*/purchases');
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
		expect(keys[1]).toBe(keys[0]);
		const purchases = (await events('pos.purchase')).map((e) => JSON.parse(e.data));
		expect(purchases).toEqual([
			expect.objectContaining({
				receiptId: 'R-77',
				total: '1250.50',
				items: [{ name: 'Шарф <script>', quantity: 1, price: '1250.50' }],
				locationId,
			}),
		]);
		await page.waitForSelector('[data-role="card-timeline"] li[data-type="pos.purchase"]');
	});

	it('offers Retry with the same key when the server stays unreachable', async () => {
		const keys: string[] = [];
		await page.route('**/api/v1/counter/customers/*/notes', async (route) => {
			keys.push(route.request().headers()['idempotency-key'] ?? '');
			if (keys.length <= 3) {
				await route.abort('connectionrefused');
				return;
			}
			await route.continue();
		});
		await page.fill('[data-form="note"] textarea', 'любит синий, размер M');
		await page.click('[data-role="note-submit"]');
		expect(await message(page, 'error')).toContain('No connection to the server');
		await page.click('[data-role="retry"]');
		expect(await message(page, 'ok')).toBe('Note saved.');
		await page.unroute('**/api/v1/counter/customers/*/notes');
		expect(keys).toHaveLength(4);
		expect(new Set(keys).size).toBe(1);
		const notes = (await events('note')).map((e) => JSON.parse(e.data) as { text: string });
		expect(notes.filter((n) => n.text === 'любит синий, размер M')).toHaveLength(1);
	});

	it('accepts a return by its QR', async () => {
		const master = loadMasterKey(t.dataDir, undefined).key;
		const { token } = issueQrToken(
			deriveCounterKeys(master),
			{ tenantId, customerId: anna, kind: 'return', refId: returnId, ttlSeconds: 14 * 86_400 },
			clock.now(),
		);
		await identifyByScan(page, token);
		await page.waitForSelector(`[data-role="card-returns"] li.highlight[data-return="${returnId}"]`);
		expect(await page.textContent('[data-role="card-returns"]')).toContain('A return QR was scanned');
		await saveScreenshot(page, 'counter-screen-en-return');
		await page.dblclick(`[data-action="accept-return"][data-return="${returnId}"]`);
		expect(await message(page, 'ok')).toBe('Return accepted. The shop and the customer are notified.');
		const row = await t.server.db
			.selectFrom('returns')
			.select(['state', 'received_location_id'])
			.where('id', '=', returnId)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ state: 'received', received_location_id: locationId });
		expect((await events('pos.return')).length).toBe(1);
		// The same return QR again: spent.
		await scan(page, token);
		expect(await message(page, 'error')).toBe(
			'This QR code was already used. Ask the customer to open their card again.',
		);
	});

	it('scans the customer’s QR with the camera', async () => {
		// Chromium's fake camera films a QR of a fresh card token, as a phone would show it.
		const dir = mkdtempSync(path.join(tmpdir(), 'nitka-counter-camera-'));
		const video = path.join(dir, 'qr.y4m');
		await writeQrVideo(video, await cardToken());
		const cameraBrowser = await chromium.launch({
			executablePath: chromiumPath,
			args: [
				...chromiumArgs,
				'--use-fake-device-for-media-stream',
				'--use-fake-ui-for-media-stream',
				`--use-file-for-fake-video-capture=${video}`,
			],
		});
		try {
			const context = await cameraBrowser.newContext({
				locale: 'en-GB',
				viewport: { width: 1180, height: 820 },
			});
			await context.grantPermissions(['camera'], { origin: t.url });
			const tablet = await context.newPage();
			await tablet.goto(`${t.url}/counter/`);
			await tablet.fill('[data-role="pair-input"]', deviceKey);
			await tablet.click('[data-role="pair"]');
			await tablet.waitForSelector('[data-role="session"]');
			await tablet.click('[data-role="camera-toggle"]');
			expect(await shownCustomer(tablet)).toBe(XSS_NAME);
			expect(await message(tablet, 'ok')).toBe(`Customer found: ${XSS_NAME}`);
			// The camera is off again once a code was read.
			expect(await tablet.isHidden('[data-role="camera"]')).toBe(true);
			expect(await tablet.textContent('[data-role="camera-toggle"]')).toBe('Camera');
			await saveScreenshot(tablet, 'counter-screen-en-camera-scan');
		} finally {
			await cameraBrowser.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('switches to Russian, and follows a Russian tablet on its own', async () => {
		await page.click('[data-lang="ru"]');
		await page.waitForSelector('html[lang="ru"]');
		expect(await page.textContent('[data-role="identify"]')).toBe('Найти');
		await page.click('[data-lang="en"]');
		await page.waitForSelector('html[lang="en"]');

		const ru = await browser.newContext({ locale: 'ru-RU', viewport: { width: 820, height: 1180 } });
		const tablet = await ru.newPage();
		tablet.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.accept();
		});
		await tablet.goto(`${t.url}/counter/`);
		await tablet.waitForSelector('[data-view="pair"]');
		expect(await tablet.textContent('h1')).toBe('Подключение кассы');
		await tablet.fill('[data-role="pair-input"]', deviceKey);
		await tablet.click('[data-role="pair"]');
		await tablet.waitForSelector('[data-role="session"]');
		expect(await tablet.textContent('[data-role="location"]')).toBe('Точка: Магазин на Тверской');

		// A typed phone finds her; a typed loyalty number too.
		await tablet.fill('[data-role="identify-input"]', '8 (916) 123-45-67');
		await tablet.click('[data-role="identify"]');
		expect(await shownCustomer(tablet)).toBe(XSS_NAME);
		const loyalty = ((await tablet.textContent('[data-role="loyalty-number"]')) ?? '').replace(/\s/g, '');
		await tablet.click('[data-role="close-card"]');
		await scan(tablet, loyalty);
		expect(await shownCustomer(tablet)).toBe(XSS_NAME);
		expect(await message(tablet, 'ok')).toBe(`Покупатель найден: ${XSS_NAME}`);

		await tablet.click(`[data-action="hand-over"][data-order="${secondOrder}"]`);
		expect(await message(tablet, 'ok')).toBe('Заказ W-1002 выдан. Покупатель получит благодарность в чате.');
		await tablet.click('[data-action="redeem"][data-code="VK-ANNA-20"]');
		expect(await message(tablet, 'ok')).toBe('Промокод VK-ANNA-20 погашен.');
		await saveScreenshot(tablet, 'counter-screen-ru-card');

		// A scanner on a tablet switched to the Russian layout types the token in Cyrillic.
		await tablet.click('[data-role="close-card"]');
		const token = await cardToken();
		await tablet.focus('[data-role="identify-input"]');
		await tablet.keyboard.type(onRussianLayout(token));
		await tablet.keyboard.press('Enter');
		expect(await shownCustomer(tablet)).toBe(XSS_NAME);
		await scan(tablet, token);
		expect(await message(tablet, 'error')).toBe(
			'Этот QR-код уже использован. Попросите покупателя открыть карту заново.',
		);
		const old = await cardToken();
		skew = 121_000;
		try {
			await scan(tablet, old);
			expect(await message(tablet, 'error')).toBe(
				'Срок QR-кода истёк. Попросите покупателя открыть карту заново.',
			);
		} finally {
			skew = 0;
		}
		await saveScreenshot(tablet, 'counter-screen-ru-expired-qr');

		// Unpairing forgets the key on this tablet.
		await tablet.click('[data-role="unpair"]');
		await tablet.waitForSelector('[data-view="pair"]');
		expect(await tablet.evaluate(() => localStorage.getItem('nitka.counter.deviceKey'))).toBeNull();
		await ru.close();
		expect(dialogs).toEqual(['Отключить этот планшет? Чтобы работать снова, понадобится ключ устройства.']);
	});

	it('sends a tablet whose key was revoked back to pairing', async () => {
		const revoke = await fetch(`${t.url}/api/v1/tenants/${tenantId}/devices/${deviceId}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${apiKey}` },
		});
		expect(revoke.status).toBe(200);
		await page.click('[data-role="pickups-refresh"]');
		await page.waitForSelector('[data-view="pair"]');
		expect(await message(page, 'error')).toBe(
			'The device key was refused: it is wrong or revoked. Pair the counter again.',
		);
		expect(await page.evaluate(() => localStorage.getItem('nitka.counter.deviceKey'))).toBeNull();
		await saveScreenshot(page, 'counter-screen-en-revoked');
	});
});
