import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../connector-server/src/core/clock.ts';
import { appendEvent } from '../../../connector-server/src/core/events/event-store.ts';
import {
	createCustomer,
	openReview,
	rootOf,
} from '../../../connector-server/src/core/identity/identity-graph.ts';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { eventually } from '../../e2e/channels/stack.ts';
import {
	appPagePath,
	contactCardPath,
	dealCardPath,
	leadCardPath,
} from '../../emulators/bitrix24/portal-page/index.ts';
import {
	marketplaceItem,
	pausedMarketplaceConnection,
	seedQuarantine,
} from '../../support/quarantine-seed.ts';
import { artifactsDir, launchChromium } from '../support/chromium.ts';
import { buildBitrixApp } from './support/build-app.ts';
import { samplePng } from './support/sample-png.ts';
import { APP_ID, type AppStack, startAppStack } from './support/stack.ts';

// The real built bitrix-app in the emulated portal page (REST emulator origin), installed by the
// real connector, signed in through its session endpoint, with Telegram behind it.
const XSS = '<img src=x onerror=alert(1)> <script>alert(2)</script> & "quotes"';

describe('bitrix-app inside the Bitrix24 portal', () => {
	let stack: AppStack;
	let browser: Browser;
	let tenantId = '';
	let customerId = '';
	let contactId = '';
	const dialogs: string[] = [];
	const anna = () => stack.tg.user({ id: 7_001, first_name: 'Anna', last_name: 'Smirnova' });
	const appUrl = () => stack.appUrl;

	beforeAll(async () => {
		stack = await startAppStack(await buildBitrixApp());
		browser = await launchChromium();
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.close();
	});

	/** Reads through the connector's API with a key of the installed tenant (test-side checks only). */
	async function read<T>(route: string): Promise<T> {
		const { key } = await issueApiKey(stack.server.db, { tenantId }, 'browser-test', Date.now());
		const response = await fetch(`${stack.server.url}/api/v1/tenants/${tenantId}${route}`, {
			headers: { authorization: `Bearer ${key}` },
		});
		return (await response.json()) as T;
	}

	/** History for the timeline: messages over three pages, a photo, an XSS attempt, and two orders. */
	async function seedHistory(): Promise<void> {
		const user = anna();
		user.shareOwnContact('+7 999 555-44-33');
		user.sendText('Hello! Is my order ready?');
		for (let i = 1; i <= 40; i += 1) user.sendText(`Question number ${i}`);
		user.sendPhoto({ caption: 'This is the box I got', data: samplePng() });
		user.sendText(XSS);
		await stack.tg.webhookIdle();
		customerId = await eventually(async () => {
			const found = await read<{ items: { id: string }[] }>(
				'/customers?identifierType=telegram&identifier=7001',
			);
			return found.items[0]?.id;
		});
		await eventually(async () => {
			const page = await read<{ items: unknown[] }>(`/customers/${customerId}/timeline?limit=200`);
			return page.items.length >= 43;
		});
		// The connector makes the Bitrix24 contact for the new customer; its card shows the tab.
		contactId = await eventually(() => stack.b24.portal().state.crm.all(3)[0]?.ID, 15_000).then(String);
		// Let the delivery to the portal (open line, timeline log) finish first.
		await eventually(async () => {
			const health = await read<{ outbox: { pending: number } }>('/health');
			return health.outbox.pending === 0;
		}, 60_000);
		const day = 86_400_000;
		const now = Date.now();
		const order = (
			type: 'order.created' | 'order.status_changed',
			at: number,
			data: Record<string, unknown>,
		) =>
			appendEvent(stack.server.db, {
				tenantId,
				customerId,
				type,
				channel: 'ozon',
				occurredAt: at,
				recordedAt: at,
				sourceKey: `ozon:0142-1:${type}:${at}`,
				data: data as never,
			});
		await order('order.created', now - 3 * day, {
			source: 'ozon',
			orderId: '0142-1',
			number: '0142-1',
			status: 'awaiting_packaging',
			rawStatus: 'awaiting_packaging',
			total: '2499.00',
			currency: 'RUB',
			items: [
				{ name: 'Teapot <b>glass</b>', quantity: 1, price: '1999.00' },
				{ name: 'Tea', quantity: 2, price: '250.00' },
			],
			buyerCompany: { inn: '7707083893', kpp: '773601001', name: 'ООО «Чай <i>и</i> кофе»' },
		});
		await order('order.status_changed', now - 2 * day, {
			source: 'ozon',
			orderId: '0142-1',
			number: '0142-1',
			from: 'awaiting_packaging',
			to: 'delivered',
			rawStatus: 'delivered',
		});
	}

	async function appFrame(page: Page, view: string): Promise<Frame> {
		let frame: Frame | undefined;
		await expect
			.poll(() => (frame = page.frames().find((f) => f.url().startsWith(appUrl()))), { timeout: 15_000 })
			.toBeTruthy();
		await frame!
			.waitForSelector(`[data-view="${view}"]`, { timeout: 15_000 })
			.catch(async (error: unknown) => {
				await screenshot(page, `bitrix-app-failed-${view}`);
				throw new Error(`no ${view} view; the app shows: ${await frame!.textContent('main')}`, {
					cause: error,
				});
			});
		return frame!;
	}

	/**
	 * Grows the viewport to the page (at most `maxHeight`) and shoots it: a cross-origin frame is
	 * painted only inside the viewport, so a plain full-page shot leaves the frame's lower part blank.
	 */
	async function screenshot(page: Page, name: string, maxHeight = 2400): Promise<void> {
		await page.waitForTimeout(300);
		const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
		await page.setViewportSize({ width: 1280, height: Math.min(height, maxHeight) });
		await page.waitForTimeout(300);
		await mkdir(artifactsDir, { recursive: true });
		await page.screenshot({ path: path.join(artifactsDir, `${name}.png`) });
		await page.setViewportSize({ width: 1280, height: 900 });
	}

	async function newPage(): Promise<Page> {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		page.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.dismiss();
		});
		return page;
	}

	it('installs: ONAPPINSTALL at the connector, then the installer page opens a real session and finishes', async () => {
		const installed = await stack.b24.installApp(APP_ID);
		expect(installed.installEvent).toBeDefined();
		const row = await stack.server.db.selectFrom('host_portals').selectAll().executeTakeFirstOrThrow();
		tenantId = row.tenant_id;
		const { state } = stack.b24.portal();
		// The connector bound the CRM tabs to this app's URL.
		expect(state.placements.map((p) => [p.placement, p.handler]).sort()).toEqual([
			['CRM_CONTACT_DETAIL_TAB', appUrl()],
			['CRM_DEAL_DETAIL_TAB', appUrl()],
			['CRM_LEAD_DETAIL_TAB', appUrl()],
		]);

		// The app page in installer mode: frame auth -> connector session -> installFinish.
		const sessions: number[] = [];
		const page = await newPage();
		page.on('response', (response) => {
			if (response.url().endsWith('/api/v1/hosts/bitrix24/session')) sessions.push(response.status());
		});
		const finished = page.waitForURL(/install_finished=Y/, { timeout: 20_000 });
		await page.goto(`${stack.b24.url}${appPagePath(APP_ID)}`);
		await finished;
		expect(sessions).toEqual([200]);
		expect(state.installs.get(APP_ID)?.installed).toBe(true);
		expect(stack.portal.messages.byCommand('setInstall')).toMatchObject([{ outcome: 'answered' }]);
		await page.close();
	});

	it('settings: connect a bot, pick the open line, see health; errors say what went wrong', async () => {
		// A delivery that failed for good, as the outbox parks it (its kind has no handler here, so a
		// retry parks it again: the point is the button and the route).
		const at = Date.now();
		await stack.server.db
			.insertInto('outbox')
			.values({
				id: newId(at),
				tenant_id: tenantId,
				target: 'telegram',
				kind: 'browser-test.send',
				payload: '{}',
				dedupe_key: null,
				status: 'dead',
				attempts: 8,
				max_attempts: 8,
				next_attempt_at: at,
				last_error: 'Forbidden: bot was blocked by the user',
				created_at: at,
				updated_at: at,
			})
			.execute();
		const page = await newPage();
		await page.goto(`${stack.b24.url}${appPagePath(APP_ID)}`);
		const frame = await appFrame(page, 'settings');
		// The portal speaks Russian, so does the app.
		expect(await frame.textContent('h1')).toContain('Nitka: каналы и настройки');
		const health = frame.locator('[data-testid="health"]');
		await health.getByText('Пока ничего не подключено').waitFor();

		// A token the platform rejects: the connector's problem detail, in the form.
		const messenger = frame.locator('[data-testid="connect-messenger"]');
		await messenger.locator('input[name="token"]').fill('999999:not-a-real-token');
		await messenger.locator('button[type="submit"]').click();
		await messenger.locator('[data-testid="error"]').waitFor();
		expect(await messenger.locator('[data-testid="error"]').textContent()).toContain('400');

		// The real bot token: connected, and its health row appears.
		await messenger.locator('input[name="token"]').fill(stack.tg.token);
		await messenger.locator('button[type="submit"]').click();
		await messenger.locator('[role="status"]').waitFor();
		expect(await messenger.locator('[data-testid="error"]').count()).toBe(0);
		await health.locator('tbody tr').first().waitFor();
		expect(await health.locator('tbody tr').first().textContent()).toContain('Работает');
		expect(await frame.textContent('[data-testid="queue"]')).toMatch(/Очередь: \d+ ждут/);
		const letters = frame.locator('[data-testid="dead-letters"]');
		await letters.getByText('Forbidden: bot was blocked by the user').waitFor();
		await letters.getByRole('button', { name: 'Повторить' }).click();
		await letters.getByText('Снова в очереди').waitFor();

		// The open line: the portal's lines, saved and activated for Nitka's connector.
		const openLine = frame.locator('[data-testid="open-line"]');
		await openLine.locator('select').waitFor();
		await openLine.locator('select').selectOption('1');
		await openLine.locator('button[type="submit"]').click();
		await openLine.locator('[role="status"]').waitFor();
		expect(stack.b24.portal().state.connectors.get('nitka')?.lines.get(1)?.active).toBe(true);

		// Marketplace keys go to the connector, which checks them with the marketplace: its answer is shown.
		const market = frame.locator('[data-testid="connect-marketplace"]');
		await market.locator('input[name="clientId"]').fill('123456');
		await market.locator('input[name="apiKey"]').fill('ozon-api-key-0000');
		await market.locator('button[type="submit"]').click();
		await market.locator('[data-testid="error"], [role="status"]').first().waitFor({ timeout: 20_000 });

		const resize = await stack.portal.messages.waitFor((m) => m.command === 'resizeWindow');
		expect(resize.outcome).toBe('answered');
		await screenshot(page, 'bitrix-app-settings');
		await page.close();
	});

	it('timeline tab: one timeline, inert customer text, paging, filters, deep link and a reply', async () => {
		await seedHistory();
		stack.portal.messages.clear();
		const page = await newPage();
		await page.goto(`${stack.b24.url}${contactCardPath(contactId)}`);
		await page.click(`[data-app-id="${APP_ID}"]`);
		const frame = await appFrame(page, 'timeline');
		await frame.locator('[data-testid="message"]').first().waitFor();
		expect(await frame.textContent('[data-testid="customer-name"]')).toBe('Anna Smirnova');

		// The XSS payload is text: shown verbatim, no element made from it, no script ran.
		const texts = await frame.locator('[data-testid="message-text"]').allTextContents();
		expect(texts).toContain(XSS);
		expect(await frame.locator('img[src="x"]').count()).toBe(0);
		expect(await frame.locator('[data-testid="timeline"] script').count()).toBe(0);
		await expect.poll(() => frame.locator('[data-kind="photo"] img').count(), { timeout: 10_000 }).toBe(1);
		// Through the authenticated media proxy, and decoded under the app page's CSP.
		const photo = frame.locator('[data-kind="photo"] img');
		expect(await photo.getAttribute('src')).toMatch(/^data:image\//);
		await expect
			.poll(() =>
				photo.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth),
			)
			.toBe(240);

		// The frame grows with its content (resizeWindow, answered by the portal).
		const resize = await stack.portal.messages.waitFor(
			(m) => m.command === 'resizeWindow' && (m.params as { height: number }).height > 600,
		);
		expect(resize.outcome).toBe('answered');
		// The first keyset page; then the screenshot, whose tall viewport may already show the list's end.
		expect(await frame.locator('[data-event]').count()).toBe(30);
		await screenshot(page, 'bitrix-app-timeline', 1300);

		// Infinite scroll: bringing the list's end into view loads the next keyset pages.
		await expect
			.poll(
				async () => {
					await frame.locator('[data-testid="timeline-tail"]').scrollIntoViewIfNeeded();
					return await frame.locator('[data-testid="timeline-end"]').count();
				},
				{ timeout: 15_000 },
			)
			.toBe(1);
		expect(await frame.locator('[data-event]').count()).toBeGreaterThanOrEqual(45);
		expect(await frame.locator('[data-type="identity.linked"]').count()).toBeGreaterThanOrEqual(1);
		expect(await frame.locator('[data-type="order.created"] [data-testid="order"]').count()).toBe(1);

		// Filter: orders only.
		await frame.click('[data-filter-group="orders"]');
		await expect.poll(() => frame.locator('[data-event]').count(), { timeout: 10_000 }).toBe(2);
		expect(await frame.locator('[data-testid="order-status"]').allTextContents()).toEqual([
			'Доставлен',
			'Ждёт сборки',
		]);
		expect(await frame.locator('[data-type="order.created"]').textContent()).toContain('Teapot <b>glass</b>');
		// A business buyer's requisites, its name as text.
		const requisites = frame.locator('[data-testid="order-buyer-company"]');
		expect(await requisites.locator('.muted').textContent()).toBe('Покупатель');
		expect(await requisites.locator('.text').textContent()).toBe(
			'ООО «Чай <i>и</i> кофе» · ИНН 7707083893 · КПП 773601001',
		);
		await screenshot(page, 'bitrix-app-timeline-orders');
		await frame.click('[data-filter-group="orders"]');
		await frame.click('[data-filter-channel="telegram"]');
		await expect.poll(() => frame.locator('[data-event]').count(), { timeout: 10_000 }).toBe(30);
		expect(await frame.locator('[data-type^="order"]').count()).toBe(0);

		// Deep link for the customer's messengers.
		await frame.click('[data-testid="issue-link"]');
		const link = await frame.locator('[data-testid="deep-links"] input').first().inputValue();
		expect(link).toMatch(/^https:\/\/t\.me\/\w+\?start=[A-Za-z0-9_-]+$/);

		// A reply from the card reaches Telegram and lands on the timeline.
		await frame.fill('textarea[name="reply"]', 'Yes, it ships today <b>!</b>');
		await frame.click('[data-testid="reply"] button[type="submit"]');
		await frame.locator('[data-testid="reply"] [role="status"]').waitFor();
		expect(await frame.textContent('[data-testid="reply"] [role="status"]')).toContain('Telegram');
		await eventually(() => anna().received.find((m) => m.text === 'Yes, it ships today <b>!</b>'));
		await frame.locator('[data-type="message.out"]').first().waitFor();
		expect(
			await frame.locator('[data-type="message.out"] [data-testid="message-text"]').first().textContent(),
		).toBe('Yes, it ships today <b>!</b>');
		await screenshot(page, 'bitrix-app-timeline-reply', 1100);

		expect(dialogs).toEqual([]);
		await page.close();
	});

	it('deal tab: the deal’s contact’s timeline, headed by the order the deal stands for', async () => {
		const { state } = stack.b24.portal();
		// The deal Nitka makes for an order (crm-deals.ts): ORIGINATOR_ID nitka, ORIGIN_ID source:orderId.
		// Stored as crm.deal.add stores it: CONTACT_IDS, and CONTACT_ID mirroring the first.
		const client = { CONTACT_ID: Number(contactId), CONTACT_IDS: [Number(contactId)] };
		const deal = state.crm.create(
			2,
			{ TITLE: 'ozon 0142-1', ORIGINATOR_ID: 'nitka', ORIGIN_ID: 'ozon:0142-1', ...client },
			1,
			Date.now(),
		);
		stack.portal.messages.clear();
		const page = await newPage();
		await page.goto(`${stack.b24.url}${dealCardPath(deal.ID)}`);
		expect(await page.textContent('#b24-page-title')).toBe('Deal: ozon 0142-1');
		await page.click(`[data-app-id="${APP_ID}"]`);
		// The portal's launch: PLACEMENT and PLACEMENT_OPTIONS {ID (a string), URI}, nothing else.
		const layout = stack.portal.layouts.all().at(-1)!;
		expect(layout.placement).toBe('CRM_DEAL_DETAIL_TAB');
		expect(layout.placementOptions).toEqual({ ID: String(deal.ID), URI: dealCardPath(deal.ID) });
		const frame = await appFrame(page, 'timeline');
		expect(await frame.locator('main').getAttribute('data-placement')).toBe('CRM_DEAL_DETAIL_TAB');
		expect(await frame.textContent('[data-testid="customer-name"]')).toBe('Anna Smirnova');
		const order = frame.locator('[data-testid="deal-order"]');
		await order.locator('[data-testid="order"]').waitFor();
		expect(await order.getAttribute('data-order')).toBe('ozon:0142-1');
		expect(await order.locator('h3').textContent()).toContain('0142-1');
		// At its latest status, with the items of its creation.
		expect(await order.locator('[data-testid="order-status"]').textContent()).toBe('Доставлен');
		expect(await order.textContent()).toContain('Teapot <b>glass</b>');
		// Then the contact's whole timeline (its first page at least: the list may already have scrolled on).
		await frame.locator('[data-testid="message"]').first().waitFor();
		expect(await frame.locator('[data-event]').count()).toBeGreaterThanOrEqual(30);
		await screenshot(page, 'bitrix-app-deal-tab', 1300);

		// A deal Nitka did not make has no order card; a deal without a contact says so.
		const plain = state.crm.create(2, { TITLE: 'Manual deal', ...client }, 1, Date.now());
		await page.goto(`${stack.b24.url}${dealCardPath(plain.ID)}`);
		await page.click(`[data-app-id="${APP_ID}"]`);
		const second = await appFrame(page, 'timeline');
		await second.locator('[data-testid="customer-name"]').waitFor();
		expect(await second.locator('[data-testid="deal-order"]').count()).toBe(0);
		const orphan = state.crm.create(2, { TITLE: 'No client' }, 1, Date.now());
		await page.goto(`${stack.b24.url}${dealCardPath(orphan.ID)}`);
		await page.click(`[data-app-id="${APP_ID}"]`);
		const third = await appFrame(page, 'timeline');
		await third.locator('[data-testid="not-linked"]').waitFor();
		expect(dialogs).toEqual([]);
		await page.close();
	});

	it('lead tab: the customer found by the lead’s phone, or a clear empty state when none has it', async () => {
		const { state } = stack.b24.portal();
		// A lead without a contact, carrying Anna's phone in another spelling.
		const lead = state.crm.create(1, { TITLE: 'Call back about the teapot' }, 1, Date.now());
		lead.multi.push({ ID: 9_101, TYPE_ID: 'PHONE', VALUE: '8 (999) 555-44-33', VALUE_TYPE: 'WORK' });
		const contacts = state.crm.all(3).length;
		const page = await newPage();
		await page.goto(`${stack.b24.url}${leadCardPath(lead.ID)}`);
		await page.click(`[data-app-id="${APP_ID}"]`);
		const layout = stack.portal.layouts.all().at(-1)!;
		expect(layout.placement).toBe('CRM_LEAD_DETAIL_TAB');
		expect(layout.placementOptions).toEqual({ ID: String(lead.ID), URI: leadCardPath(lead.ID) });
		const frame = await appFrame(page, 'timeline');
		expect(await frame.textContent('[data-testid="customer-name"]')).toBe('Anna Smirnova');
		await frame.locator('[data-testid="message"]').first().waitFor();
		expect(await frame.locator('[data-testid="deal-order"]').count()).toBe(0);
		await screenshot(page, 'bitrix-app-lead-tab', 1300);
		// Looking up a lead creates no customer and links no contact.
		expect(state.crm.all(3)).toHaveLength(contacts);

		// A stranger's lead: nobody has that phone or e-mail.
		const stranger = state.crm.create(1, { TITLE: 'Website form' }, 1, Date.now());
		stranger.multi.push({ ID: 9_102, TYPE_ID: 'EMAIL', VALUE: 'nobody@example.test', VALUE_TYPE: 'WORK' });
		await page.goto(`${stack.b24.url}${leadCardPath(stranger.ID)}`);
		await page.click(`[data-app-id="${APP_ID}"]`);
		const empty = await appFrame(page, 'timeline');
		const state2 = empty.locator('[data-testid="not-linked"]');
		await state2.waitFor();
		expect(await state2.textContent()).toContain('Клиента с телефоном или email этого лида пока нет.');
		await screenshot(page, 'bitrix-app-lead-tab-empty');
		expect(dialogs).toEqual([]);
		await page.close();
	});

	it('timeline tab: unlink moves an identifier off the customer (the confirm accepted)', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		page.on('dialog', (dialog) => void dialog.accept());
		await page.goto(`${stack.b24.url}${contactCardPath(contactId)}`);
		await page.click(`[data-app-id="${APP_ID}"]`);
		const frame = await appFrame(page, 'timeline');
		const phone = frame.locator('[data-testid="identities"] [data-identity="phone"]');
		await phone.waitFor();
		await phone.locator('button').click();
		await expect.poll(() => phone.count(), { timeout: 10_000 }).toBe(0);
		expect(await frame.locator('[data-testid="identities"] [data-identity="telegram"]').count()).toBe(1);
		// The identifier was moved, not deleted: it now resolves to a customer of its own.
		const owner = await read<{ items: { id: string }[] }>('/customers?phone=%2B79995554433');
		expect(owner.items).toHaveLength(1);
		expect(owner.items[0]?.id).not.toBe(customerId);
		const view = await read<{ identities: { type: string }[] }>(`/customers/${customerId}`);
		expect(view.identities.map((i) => i.type)).not.toContain('phone');
		const timeline = await read<{ items: { type: string }[] }>(`/customers/${customerId}/timeline?limit=5`);
		expect(timeline.items.map((e) => e.type)).toContain('identity.unlinked');
		await screenshot(page, 'bitrix-app-unlinked');
		await page.close();
	});

	it('settings: health shows each connection’s last event and lag, and the queue’s oldest wait', async () => {
		const health = await read<{
			connections: { channel: string; lastEventAt: string | null; lagSeconds: number }[];
			outbox: { oldestPendingSeconds: number };
		}>('/health');
		const bot = health.connections.find((c) => c.channel === 'telegram');
		expect(Date.parse(bot?.lastEventAt ?? '')).toBeGreaterThan(Date.now() - 600_000);
		expect(bot?.lagSeconds).toBe(0);
		expect(health.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(0);

		const page = await newPage();
		await page.goto(`${stack.b24.url}${appPagePath(APP_ID)}`);
		const frame = await appFrame(page, 'settings');
		const row = frame.locator('[data-testid="health"] tbody tr').first();
		await row.waitFor();
		// A date in the portal's language, not the empty dash; nothing waits, so no lag.
		expect((await row.locator('[data-testid="last-event"]').textContent())?.trim()).toMatch(/\d{4}/);
		expect((await row.locator('[data-testid="lag"]').textContent())?.trim()).toBe('—');
		await page.close();
	});

	it('settings: an order number a chat claimed waits in the review queue until the admin merges it', async () => {
		const at = Date.now();
		const db = stack.server.db;
		const [chat, order] = [await createCustomer(db, tenantId, at), await createCustomer(db, tenantId, at)];
		// As core/links/order-link-reactor.ts opens it when a chat answers "yes, it is mine".
		const reviewId = await db
			.transaction()
			.execute((tx) =>
				openReview(
					tx,
					tenantId,
					chat,
					order,
					'a chat named order 1534 and said it is theirs; an order number is not proof (anyone who saw it can type it)',
					{ identifiers: [{ type: 'telegram', value: '7002' }] },
					at,
				),
			);
		const page = await newPage();
		await page.goto(`${stack.b24.url}${appPagePath(APP_ID)}`);
		const frame = await appFrame(page, 'settings');
		const item = frame.locator(`[data-testid="merge-reviews"] [data-review="${reviewId}"]`);
		await item.waitFor();
		expect(await item.textContent()).toContain(
			'Чат назвал заказ №1534 и ответил, что заказ его. Номер — не доказательство',
		);
		expect(await rootOf(db, tenantId, chat)).not.toBe(await rootOf(db, tenantId, order));
		await screenshot(page, 'bitrix-app-merge-reviews');
		await item.getByRole('button', { name: 'Объединить' }).click();
		await item.getByText('Объединены').waitFor();
		expect(await rootOf(db, tenantId, chat)).toBe(await rootOf(db, tenantId, order));
		expect((await read<{ items: unknown[] }>('/merge-reviews')).items).toEqual([]);
		await page.close();
	});

	it('settings: unreadable webhooks and marketplace pages, per connection, with what was wrong and a retry', async () => {
		const db = stack.server.db;
		const page = await newPage();
		await page.goto(`${stack.b24.url}${appPagePath(APP_ID)}`);
		let frame = await appFrame(page, 'settings');
		// Nothing quarantined yet: the empty state says so.
		await frame.locator('[data-testid="quarantine-empty"]').waitFor();
		expect(await frame.textContent('[data-testid="quarantine-empty"]')).toContain('Ничего не ждёт');

		const at = Date.now();
		// More than a screenful: 30 older Wildberries pages (arrived first). The app loads the newest 25 items; the
		// group still counts all 30 (the connection's sync counts them).
		const wb = await pausedMarketplaceConnection(
			db,
			stack.server.box,
			tenantId,
			'wildberries',
			'WB · склад',
			at,
		);
		await seedQuarantine(
			db,
			tenantId,
			Array.from({ length: 30 }, (_, i) => ({
				inbox: 'marketplaces' as const,
				connectionId: wb,
				source: 'wildberries',
				payload: '{"orders":[]}',
				error: 'not a Wildberries page',
				receivedAt: at - 90_000 + i * 1_000,
			})),
		);

		// As the workers leave them: an Ozon page and an Ozon push the order worker could not read
		// (one error quotes the payload, as V8's JSON errors do), and a Telegram update.
		const ozon = await pausedMarketplaceConnection(
			db,
			stack.server.box,
			tenantId,
			'ozon',
			'Ozon · Чайная лавка',
			at,
		);
		const bot = (await read<{ connections: { id: string; channel: string }[] }>('/health')).connections.find(
			(c) => c.channel === 'telegram',
		)!;
		const pageError = 'result.postings.0.status: Invalid input: expected string, received undefined';
		const [ozonPage, ozonPush] = await seedQuarantine(db, tenantId, [
			{
				inbox: 'marketplaces',
				connectionId: ozon,
				source: 'ozon',
				payload: JSON.stringify({
					result: { postings: [{ customer: { name: 'Иван Петров', phone: '+79995550001' } }] },
				}),
				error: pageError,
				receivedAt: at - 3_000,
			},
			{
				inbox: 'marketplaces',
				connectionId: ozon,
				source: 'ozon',
				payload: 'x{"phone":"+79995550001","email":"ivan@example.ru"}',
				error:
					'Unexpected token \'x\', "x{"phone":"+79995550001","email":"ivan@example.ru"}" is not valid JSON',
				receivedAt: at - 2_000,
			},
			{
				inbox: 'webhooks',
				connectionId: bot.id,
				source: 'telegram',
				payload: JSON.stringify({ message: { text: 'Мой телефон +79995550002' } }),
				error: 'a Telegram update needs an integer update_id',
				receivedAt: at - 1_000,
			},
		]);

		await page.reload();
		frame = await appFrame(page, 'settings');
		const list = frame.locator('[data-testid="quarantine"]');
		const wbGroup = list.locator(`[data-group="${wb}"]`);
		await wbGroup.waitFor();
		expect(await wbGroup.locator('[data-testid="quarantine-count"]').textContent()).toBe('Не прочитано: 30');
		expect(await wbGroup.locator('li').count()).toBe(22);
		await list.getByText('Показаны последние 25').waitFor();
		const ozonGroup = list.locator(`[data-group="${ozon}"]`);
		await ozonGroup.waitFor();
		expect(await ozonGroup.locator('strong').textContent()).toBe('Ozon · Чайная лавка');
		expect(await ozonGroup.locator('[data-testid="quarantine-count"]').textContent()).toBe('Не прочитано: 2');
		expect(await ozonGroup.locator('[data-testid="quarantine-error"]').allTextContents()).toEqual([
			'Unexpected token \'x\', "…" is not valid JSON',
			pageError,
		]);
		const item = ozonGroup.locator(`[data-item="${ozonPage}"]`);
		expect(await item.textContent()).toContain('ozon');
		expect(await item.textContent()).toMatch(/получено .*\d{4}/);
		const botGroup = list.locator(`[data-group="${bot.id}"]`);
		expect(await botGroup.locator('[data-testid="quarantine-count"]').textContent()).toContain('1');
		expect(await botGroup.locator('[data-testid="quarantine-error"]').textContent()).toBe(
			'a Telegram update needs an integer update_id',
		);
		// The payloads' personal data is nowhere on the page, and the error is text, not markup.
		const shown = (await list.textContent()) ?? '';
		for (const secret of ['79995550001', '79995550002', 'ivan@example.ru', 'Иван', 'Мой телефон']) {
			expect(shown).not.toContain(secret);
		}
		await screenshot(page, 'bitrix-app-quarantine');

		// Retry sends the page through the order worker again: out of quarantine with a fresh budget
		// (the worker may quarantine it again — with its own error, not the one stored here).
		await item.getByRole('button', { name: 'Повторить' }).click();
		await item.getByText('Снова в очереди').waitFor();
		expect((await marketplaceItem(db, ozonPage)).error).not.toBe(pageError);
		const left = await read<{ items: { id: string }[] }>(`/quarantine?connectionId=${ozon}`);
		expect(left.items.map((i) => i.id)).toContain(ozonPush);
		await page.close();
	});

	it('follows the portal language: on an English portal the app speaks English', async () => {
		const english = stack.b24.portals[1]!.state;
		await stack.b24.installApp(APP_ID, { domain: english.domain });
		const page = await newPage();
		const finished = page.waitForURL(/install_finished=Y/, { timeout: 20_000 });
		await page.goto(`${english.url}${appPagePath(APP_ID)}`);
		await finished;
		const frame = await appFrame(page, 'settings');
		expect(await frame.textContent('h1')).toBe('Nitka: channels and settings');
		await frame.locator('[data-testid="health"]').getByText('Nothing is connected yet').waitFor();
		await screenshot(page, 'bitrix-app-settings-en');
		await page.close();
	});
});
