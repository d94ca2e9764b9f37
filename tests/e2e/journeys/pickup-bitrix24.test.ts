import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { addProduct, dealProductRows, productsOf } from '../../emulators/bitrix24/index.ts';
import type { TelegramUser } from '../../emulators/telegram/user.ts';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from '../bitrix24/stack.ts';

interface Sent {
	text?: string;
	reply_markup?: { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] };
	message_id: number;
}

// Journey 1 (issue 8), Bitrix24 variant: a customer orders in Telegram from the Bitrix24 CRM
// catalog and picks the order up in a store. The deal with its product rows appears in Bitrix24,
// the counter lists the pickup, marks it ready (the customer is told, the deal moves on), hands it
// over (the deal is won) and the customer is thanked in the same chat.
describe('journey 1 (Bitrix24): a chat order picked up in store', () => {
	let stack: Bitrix24Stack;
	let tenantId: string;
	let apiKey: string;
	let deviceKey: string;
	let anna: TelegramUser;
	let customerId: string;
	let orderId: string;
	let dealId: number;
	const store = { id: '', name: 'Чайная на Покровке', address: 'Москва, Покровка, 12' };
	const products: Record<string, number> = {};
	let keySeq = 0;

	const tenantApi = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
		await api<T>(`${stack.server.url}/api/v1/tenants/${tenantId}${path}`, method, apiKey, body);
	const counter = async (path: string, body?: unknown) => {
		const response = await fetch(`${stack.server.url}/api/v1/counter${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: {
				authorization: `Bearer ${deviceKey}`,
				'content-type': 'application/json',
				...(body === undefined ? {} : { 'idempotency-key': `pickup-b24-${++keySeq}` }),
			},
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const sent = () => anna.received as unknown as Sent[];
	/** The bot's next message to Anna after `count` messages, once it arrives. */
	const nextMessage = async (count: number, timeoutMs = 15_000) =>
		await eventually(() => (sent().length > count ? sent()[count] : undefined), timeoutMs);
	const buttons = (message: Sent) => (message.reply_markup?.inline_keyboard ?? []).flat();
	const press = async (message: Sent, data: string) => {
		const before = sent().length;
		anna.pressButton(message.message_id, data);
		return await nextMessage(before);
	};
	const deal = () => stack.b24.portal().state.crm.get(2, dealId);
	const timeline = async () =>
		(
			await tenantApi<{ items: { type: string; data: Record<string, unknown> }[] }>(
				'GET',
				`/customers/${customerId}/timeline?limit=100`,
			)
		).body.items;

	beforeAll(async () => {
		stack = await startBitrix24Stack();
	}, 60_000);
	afterAll(async () => {
		await stack?.close();
	});

	it('the shop installs the app, connects its bot, opens a store with a counter tablet', async () => {
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
		tenantId = (
			await stack.server.db.selectFrom('host_portals').select('tenant_id').executeTakeFirstOrThrow()
		).tenant_id;
		apiKey = (await issueApiKey(stack.server.db, { tenantId }, 'journey', Date.now())).key;
		// The shop's product pages, where the CRM catalog has no storefront of its own.
		const settings = await tenantApi('PUT', '/bitrix24/settings', {
			openLineId: null,
			deals: { categoryId: 0, stages: {} },
			catalog: { productUrl: 'https://tea.example/p/{id}' },
		});
		expect(settings.status).toBe(200);

		const state = stack.b24.portal().state;
		for (const [name, price, active] of [
			['Габа Алишань', 990, 'Y'],
			['Да Хун Пао', 2450.5, 'Y'],
			['Дянь Хун', 1200, 'Y'],
			['Лун Цзин', 1750, 'Y'],
			['Мэй Гуй', 650, 'Y'],
			['Те Гуань Инь', 1390, 'Y'],
			['Шу Пуэр 2015', 1990, 'Y'],
			['Снятый с продажи', 500, 'N'],
		] as const) {
			products[name] = addProduct(state, { NAME: name, PRICE: price, ACTIVE: active });
		}

		expect(
			(await tenantApi('POST', '/connections', { channel: 'telegram', token: stack.tg.token })).status,
		).toBe(201);
		const created = await tenantApi<{ id: string }>('POST', '/locations', {
			name: store.name,
			address: store.address,
			kind: 'store',
		});
		expect(created.status).toBe(201);
		store.id = created.body.id;
		const device = await tenantApi<{ key: string }>('POST', `/locations/${store.id}/devices`, {
			name: 'Касса 1',
		});
		expect(device.status).toBe(201);
		deviceKey = device.body.key;
	});

	it('the customer opens the catalog in Telegram: products from Bitrix24 with links, paged, with order buttons', async () => {
		anna = stack.tg.user({ id: 7_101, first_name: 'Анна', last_name: 'Смирнова' });
		anna.shareOwnContact('+7 912 555-44-33');
		anna.sendText('/catalog');
		const page1 = await nextMessage(0);
		expect(page1.text).toContain('Каталог (страница 1 из 2)');
		expect(page1.text).toContain('1. Габа Алишань — 990 ₽');
		expect(page1.text).toContain(`https://tea.example/p/${products['Габа Алишань']}`);
		expect(page1.text).toContain('2. Да Хун Пао — 2 450,5 ₽');
		expect(page1.text).not.toContain('Снятый с продажи');
		expect(buttons(page1).map((b) => [b.text, b.callback_data])).toEqual([
			['1', `co:add:${products['Габа Алишань']}`],
			['2', `co:add:${products['Да Хун Пао']}`],
			['3', `co:add:${products['Дянь Хун']}`],
			['4', `co:add:${products['Лун Цзин']}`],
			['Ещё ›', 'co:cat:2'],
		]);
		for (const b of buttons(page1)) expect(Buffer.byteLength(b.callback_data ?? '')).toBeLessThanOrEqual(64);

		const page2 = await press(page1, 'co:cat:2');
		expect(page2.text).toContain('Каталог (страница 2 из 2)');
		expect(page2.text).toContain('3. Шу Пуэр 2015 — 1 990 ₽');
		expect(buttons(page2).map((b) => [b.text, b.callback_data])).toEqual([
			['1', `co:add:${products['Мэй Гуй']}`],
			['2', `co:add:${products['Те Гуань Инь']}`],
			['3', `co:add:${products['Шу Пуэр 2015']}`],
			['« В начало', 'co:cat:1'],
		]);
	});

	it('orders two items with quantities, picks the store and confirms', async () => {
		const page2 = sent().at(-1)!;
		const quantity = await press(page2, `co:add:${products['Шу Пуэр 2015']}`);
		expect(quantity.text).toBe(
			'«Шу Пуэр 2015», 1 990 ₽ за штуку. Сколько штук заказать? Нажмите кнопку или напишите число.',
		);
		expect(buttons(quantity).map((b) => b.callback_data)).toEqual([
			'co:qty:1',
			'co:qty:2',
			'co:qty:3',
			'co:qty:5',
		]);
		const where = await press(quantity, 'co:qty:2');
		expect(where.text).toContain('• Шу Пуэр 2015 × 2 — 3 980 ₽');
		expect(buttons(where).map((b) => [b.text, b.callback_data])).toEqual([
			[store.name, `co:loc:${store.id}`],
			['Ещё товар', 'co:more'],
		]);

		// One more product, its quantity typed.
		const again = await press(where, 'co:more');
		expect(again.text).toContain('Каталог (страница 1 из 2)');
		const qty = await press(again, `co:add:${products['Габа Алишань']}`);
		expect(qty.text).toContain('«Габа Алишань»');
		let before = sent().length;
		anna.sendText('3');
		const where2 = await nextMessage(before);
		expect(where2.text).toContain('• Шу Пуэр 2015 × 2 — 3 980 ₽\n• Габа Алишань × 3 — 2 970 ₽');

		const summary = await press(where2, `co:loc:${store.id}`);
		expect(summary.text).toBe(
			[
				'Проверьте заказ:',
				'• Шу Пуэр 2015 × 2 — 3 980 ₽',
				'• Габа Алишань × 3 — 2 970 ₽',
				'Итого: 6 950 ₽',
				'',
				`Самовывоз: ${store.name}, ${store.address}`,
				'Оплата при получении.',
				'',
				'Всё верно?',
			].join('\n'),
		);
		expect(buttons(summary).map((b) => [b.text, b.callback_data])).toEqual([
			['Подтвердить', 'co:ok'],
			['Отменить', 'co:no'],
		]);

		before = sent().length;
		anna.pressButton(summary.message_id, 'co:ok');
		// A double tap changes nothing: one order.
		anna.pressButton(summary.message_id, 'co:ok');
		const placing = await nextMessage(before);
		expect(placing.text).toBe('Оформляем заказ…');
		const accepted = await eventually(() => sent().find((m) => m.text?.startsWith('Заказ №')), 20_000);
		const number = /^Заказ №(\d+) принят!/.exec(accepted.text ?? '')?.[1];
		expect(number).toBeDefined();
		dealId = Number(number);
		expect(accepted.text).toBe(
			`Заказ №${number} принят! Соберём его в «${store.name}» и напишем сюда, когда он будет готов к выдаче.`,
		);
	});

	it('another customer: a busy portal is retried; a product taken off sale meanwhile is refused, no deal', async () => {
		const boris = stack.tg.user({ id: 7_102, first_name: 'Борис' });
		const said = () => boris.received as unknown as Sent[];
		const next = async (count: number) =>
			await eventually(() => (said().length > count ? said()[count] : undefined), 15_000);
		const tap = async (message: Sent, data: string) => {
			const count = said().length;
			boris.pressButton(message.message_id, data);
			return await next(count);
		};
		// The portal's bucket is full once: the catalog job retries and the page still comes.
		stack.b24.faults.add({ match: 'crm.product.list', fault: { kind: 'rate-limit' }, times: 1 });
		boris.sendText('каталог');
		const page = await next(0);
		expect(page.text).toContain('Каталог (страница 1 из 2)');
		const qty = await tap(page, `co:add:${products['Лун Цзин']}`);
		const where = await tap(qty, 'co:qty:1');
		const summary = await tap(where, `co:loc:${store.id}`);
		// The shop takes the tea off sale before Boris confirms.
		const product = productsOf(stack.b24.portal().state);
		product.get(products['Лун Цзин']!)!.fields.ACTIVE = 'N';
		const placing = await tap(summary, 'co:ok');
		expect(placing.text).toBe('Оформляем заказ…');
		const refused = await next(said().indexOf(placing) + 1);
		expect(refused.text).toBe(
			'Не получилось оформить заказ: «Лун Цзин» больше нет в наличии. Загляните в каталог — /catalog.',
		);
		product.get(products['Лун Цзин']!)!.fields.ACTIVE = 'Y';
		// Only Anna's deal exists.
		expect(stack.b24.portal().state.crm.all(2)).toHaveLength(1);
	});

	it('Bitrix24 shows the deal: the customer’s contact, the product rows, the first stage', async () => {
		const state = stack.b24.portal().state;
		const deals = state.crm.all(2);
		expect(deals).toHaveLength(1);
		const fields = deal()!.fields;
		expect(fields).toMatchObject({
			TITLE: `Заказ из чата: самовывоз, ${store.name}`,
			STAGE_ID: 'NEW',
			CURRENCY_ID: 'RUB',
			OPPORTUNITY: 6950,
			ORIGINATOR_ID: 'nitka',
		});
		expect(String(fields.COMMENTS)).toContain(`Самовывоз: ${store.name}, ${store.address}`);
		const contactId = (fields.CONTACT_IDS as number[])[0]!;
		const contact = state.crm.get(3, contactId)!;
		expect(contact.multi.find((m) => m.TYPE_ID === 'PHONE')?.VALUE).toBe('+79125554433');
		expect(
			dealProductRows(state, dealId).map((r) => [r.PRODUCT_ID, r.PRODUCT_NAME, r.PRICE, r.QUANTITY]),
		).toEqual([
			[products['Шу Пуэр 2015'], 'Шу Пуэр 2015', 1990, 2],
			[products['Габа Алишань'], 'Габа Алишань', 990, 3],
		]);

		const customer = await tenantApi<{ items: { id: string }[] }>('GET', '/customers?phone=%2B79125554433');
		customerId = customer.body.items[0]!.id;
		const events = await timeline();
		const created = events.find((e) => e.type === 'order.created');
		expect(created?.data).toMatchObject({
			source: 'chat',
			number: String(dealId),
			status: 'created',
			total: '6950.00',
			currency: 'RUB',
			items: [
				{ sku: String(products['Шу Пуэр 2015']), name: 'Шу Пуэр 2015', quantity: 2, price: '1990.00' },
				{ sku: String(products['Габа Алишань']), name: 'Габа Алишань', quantity: 3, price: '990.00' },
			],
		});
	});

	it('the counter lists it to prepare and marks it ready: the customer is told where, the deal moves on', async () => {
		const list = await counter('/pickups?state=to_prepare');
		const items = list.body.items as { orderId: string; number: string; state: string }[];
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ number: String(dealId), state: 'to_prepare' });
		// What staff prepare and hand over: the deal's products and the total.
		expect(items[0]).toMatchObject({
			items: [
				{ sku: String(products['Шу Пуэр 2015']), name: 'Шу Пуэр 2015', quantity: 2, price: '1990.00' },
				{ sku: String(products['Габа Алишань']), name: 'Габа Алишань', quantity: 3, price: '990.00' },
			],
			total: '6950.00',
			currency: 'RUB',
		});
		orderId = items[0]!.orderId;

		const before = sent().length;
		const ready = await counter(`/pickups/${orderId}/ready`, {});
		expect(ready.status).toBe(200);
		const told = await nextMessage(before);
		expect(told.text).toBe(
			`Заказ №${dealId} готов! Забрать его можно в «${store.name}» (${store.address}). На кассе покажите QR-код из «Моя карта» или назовите номер телефона.`,
		);
		expect(buttons(told).map((b) => [b.text, b.callback_data])).toEqual([['Моя карта', 'card']]);
		await eventually(() => deal()?.fields.STAGE_ID === 'FINAL_INVOICE', 15_000);
	});

	it('at the counter: identified by QR, handed over; the deal is won and the customer thanked in the chat', async () => {
		const card = await tenantApi<{ token: string }>('POST', `/customers/${customerId}/card-token`);
		expect(card.status).toBe(201);
		const identified = await counter('/identify', { qr: card.body.token });
		expect(identified.status).toBe(200);
		expect((identified.body.pickups as { orderId: string; state: string }[])[0]).toMatchObject({
			orderId,
			state: 'ready',
		});
		// The same QR again is refused: it was spent.
		expect((await counter('/identify', { qr: card.body.token })).status).toBe(409);
		// By phone works too.
		const byPhone = await counter('/identify', { phone: '+7 912 555-44-33' });
		expect((byPhone.body.customer as { id: string }).id).toBe(customerId);

		const before = sent().length;
		const collected = await counter(`/customers/${customerId}/pickups`, { orderId });
		expect(collected.status).toBe(201);
		const thanks = await nextMessage(before);
		expect(thanks.text).toBe(
			`Спасибо, что забрали заказ №${dealId} в «${store.name}»! Будем рады видеть вас снова.`,
		);
		await eventually(() => deal()?.fields.STAGE_ID === 'WON', 15_000);
		// Still one deal: the stage moves found the chat order's deal, never made another.
		expect(stack.b24.portal().state.crm.all(2)).toHaveLength(1);

		const events = await timeline();
		const types = events.map((e) => e.type);
		expect(types).toEqual(expect.arrayContaining(['order.created', 'order.status_changed', 'pos.pickup']));
		expect(
			events
				.filter((e) => e.type === 'order.status_changed')
				.map((e) => e.data.to)
				.sort(),
		).toEqual(['delivered', 'ready_for_pickup']);
		expect(events.find((e) => e.type === 'pos.pickup')?.data).toMatchObject({
			orderId,
			orderNumber: String(dealId),
			locationId: store.id,
		});
		const out = events.filter((e) => e.type === 'message.out').map((e) => String(e.data.text));
		expect(out).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^Заказ №\d+ принят!/),
				expect.stringMatching(/^Заказ №\d+ готов!/),
				`Спасибо, что забрали заказ №${dealId} в «${store.name}»! Будем рады видеть вас снова.`,
			]),
		);
		// Exactly one order and pickup for the double-tapped confirmation.
		expect(
			await stack.server.db.selectFrom('orders').select('id').where('tenant_id', '=', tenantId).execute(),
		).toHaveLength(1);
	});
});
