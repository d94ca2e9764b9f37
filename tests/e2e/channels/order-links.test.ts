import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../../connector-server/src/core/ingest/ingest.ts';
import { applyObservation } from '../../../connector-server/src/core/orders/apply-observation.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack } from './stack.ts';

// A customer names an order number in a chat: the bot asks (inline yes/no buttons), the customer
// presses "yes". An order number is a claim, not proof (anyone who saw the label can type it): the
// answer opens a merge review, and the chat's customer and the order's become one when the shop
// approves it — or at once when the customer shares their own Telegram contact with the order's phone.
describe('order numbers named in a chat', () => {
	let stack: ChannelStack;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
	});
	afterAll(async () => {
		await stack.close();
	});

	it('asks with buttons, answers the press; "yes" opens a review and the shop\'s approval links', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token });
		expect(connected.status).toBe(201);
		const at = Date.now();
		await stack.server.db.transaction().execute(
			async (tx) =>
				await applyObservation(tx, {
					tenantId: stack.tenantId,
					connectionId: 'ozon-e2e',
					source: 'ozon',
					observation: {
						externalId: '0118362054-0031-1',
						number: '0118362054-0031-1',
						status: 'awaiting_shipment',
						rawStatus: 'awaiting_deliver',
						statusAt: at,
						createdAt: at,
					},
					at,
					reactors: [],
				}),
		);
		const order = await stack.api<{ items: { id: string; customerId: string }[] }>(
			'GET',
			'/orders?number=0118362054-0031-1',
		);
		const orderCustomer = order.body.items[0]?.customerId;
		expect(orderCustomer).toBeDefined();

		const nina = stack.tg.user({ id: 6_101, first_name: 'Nina' });
		nina.sendText('Добрый день! Когда привезут 0118362054-0031-1?');
		const question = await eventually(() => nina.received.find((m) => m.reply_markup));
		expect(question.text).toContain('0118362054-0031-1');
		const buttons = question.reply_markup?.inline_keyboard.flat() ?? [];
		expect(buttons.map((b) => b.text)).toEqual(['Да, это мой', 'Нет']);

		const press = nina.pressButton(question.message_id, buttons[0]?.callback_data ?? '');
		const queryId = press?.callback_query?.id ?? '';
		await eventually(() => stack.tg.bot().callbacks.get(queryId)?.answered === true);
		// The marketplace order's customer holds no phone: nothing to prove, the shop decides.
		await eventually(() => nina.received.some((m) => m.text?.includes('магазин проверит заявку')));
		expect((await customerBy(stack, 'telegram', '6101')).id).not.toBe(orderCustomer);
		await approveOpenReview();
		await eventually(() => nina.received.some((m) => m.text === 'Готово: чат связан с заказом.'));
		const customer = await customerBy(stack, 'telegram', '6101');
		expect(customer.id).toBe(orderCustomer);
	});

	/** The shop approves the one open review (the bitrix-app and wp-admin call the same API). */
	async function approveOpenReview() {
		const review = await eventually(async () => {
			const open = await stack.api<{ items: { id: string; reason: string }[] }>('GET', '/merge-reviews');
			return open.body.items.length === 1 ? open.body.items[0] : undefined;
		});
		expect(review.reason).toContain('an order number is not proof');
		const decided = await stack.api('POST', `/merge-reviews/${review.id}`, { decision: 'approve' });
		expect(decided.status).toBe(200);
	}

	it("Telegram: the buyer shares their own contact with the order's phone and the chat joins at once", async () => {
		const at = Date.now();
		// A WooCommerce guest order: its typed phone is a claim the buyer can prove from Telegram.
		const { holderId } = await stack.server.db.transaction().execute(
			async (tx) =>
				await ingestBatch(
					tx,
					stack.tenantId,
					{
						identifiers: [
							{ type: 'email', value: 'lena.p@mail.ru' },
							{ type: 'phone', value: '8 916 555-01-01' },
						],
						claims: true,
						events: [
							{
								type: 'order.created',
								channel: 'woocommerce',
								occurredAt: at,
								sourceKey: 'woocommerce:order:5501:created',
								data: {
									source: 'woocommerce',
									orderId: '5501',
									number: '5501',
									status: 'created',
									rawStatus: 'processing',
									currency: 'RUB',
									items: [],
								},
							},
						],
					},
					at,
				),
		);
		const lena = stack.tg.user({ id: 6_102, first_name: 'Lena' });
		lena.sendText('Здравствуйте, заказ №5501 — когда отправите?');
		const question = await eventually(() => lena.received.find((m) => m.reply_markup));
		expect(question.text).toBe('Заказ №5501 — ваш? Свяжем этот чат с заказом, чтобы мы видели его историю.');
		lena.pressButton(
			question.message_id,
			question.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? '',
		);
		// The bot asks for the contact with a request_contact keyboard; it never shows the order's phone.
		const ask = await eventually(() =>
			lena.chat.sent.find((sent) => sent.replyMarkup && 'keyboard' in sent.replyMarkup),
		);
		expect(ask.replyMarkup).toMatchObject({
			keyboard: [[{ text: 'Поделиться номером', request_contact: true }]],
			one_time_keyboard: true,
		});
		expect(ask.message.text).not.toContain('555');
		expect((await customerBy(stack, 'telegram', '6102')).id).not.toBe(holderId);
		lena.shareOwnContact('+79165550101');
		await eventually(() => lena.received.some((m) => m.text === 'Готово: чат связан с заказом.'));
		const customer = await customerBy(stack, 'telegram', '6102');
		expect(customer.id).toBe(holderId);
		expect(customer.identities).toContainEqual(expect.objectContaining({ type: 'phone', verified: true }));
		const open = await stack.api<{ items: unknown[] }>('GET', '/merge-reviews');
		expect(open.body.items).toEqual([]);
	});

	async function order(number: string) {
		const at = Date.now();
		await stack.server.db.transaction().execute(
			async (tx) =>
				await applyObservation(tx, {
					tenantId: stack.tenantId,
					connectionId: 'wb-e2e',
					source: 'wildberries',
					observation: {
						externalId: number,
						number,
						status: 'created',
						rawStatus: 'new',
						statusAt: at,
						createdAt: at,
					},
					at,
					reactors: [],
				}),
		);
		const found = await stack.api<{ items: { customerId: string }[] }>('GET', `/orders?number=${number}`);
		return found.body.items[0]?.customerId ?? '';
	}

	it('VK: callback buttons in an inline keyboard; "yes" opens a review, the approval links', async () => {
		const club = stack.vk.createCommunity({ name: 'Order shop' });
		const connected = await stack.api('POST', '/connections', { channel: 'vk', token: club.token });
		expect(connected.status).toBe(201);
		await eventually(() => [...club.community.callbackServers.values()].some((s) => s.status === 'ok'));
		const orderCustomer = await order('7730021155');
		const oleg = stack.vk.createUser({ first_name: 'Oleg' });
		oleg.write(club.id, 'Заказ 7730021155 не пришёл');
		const question = await eventually(() =>
			club.community.messages.find((m) => m.peer_id === oleg.id && m.out === 1 && m.keyboard),
		);
		const keyboard = question.keyboard as {
			inline: boolean;
			buttons: { action: { type: string; label: string; payload: string } }[][];
		};
		expect(keyboard.inline).toBe(true);
		const yes = keyboard.buttons[0]?.[0]?.action;
		expect(yes).toMatchObject({ type: 'callback', label: 'Да, это мой' });
		const eventId = oleg.pressButton(club.id, { payload: JSON.parse(yes?.payload ?? '{}') });
		await eventually(() => club.eventAnswers.some((a) => a.event_id === eventId));
		// VK shares no contact: "yes" waits for the shop.
		await eventually(() =>
			club.community.messages.some(
				(m) => m.peer_id === oleg.id && m.out === 1 && m.text.includes('магазин проверит'),
			),
		);
		expect((await customerBy(stack, 'vk', String(oleg.id))).id).not.toBe(orderCustomer);
		await approveOpenReview();
		await eventually(async () => (await customerBy(stack, 'vk', String(oleg.id))).id === orderCustomer);
	});

	it('MAX: callback buttons in an inline_keyboard attachment; answered via /answers, linked on approval', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'max', token: stack.max.token });
		expect(connected.status).toBe(201);
		const orderCustomer = await order('7730021166');
		const user = stack.max.user({ user_id: 8_401, first_name: 'Mira' });
		user.sendText('где 7730021166?');
		const question = await eventually(() => user.received.find((m) => m.body.attachments?.length));
		const keyboard = question.body.attachments?.[0] as {
			type: string;
			payload: { buttons: { type: string; text: string; payload: string }[][] };
		};
		expect(keyboard.type).toBe('inline_keyboard');
		const yes = keyboard.payload.buttons[0]?.[0];
		expect(yes).toMatchObject({ type: 'callback', text: 'Да, это мой' });
		const pressed = user.pressButton(question, yes?.payload ?? '');
		const callbackId = pressed.update_type === 'message_callback' ? pressed.callback.callback_id : '';
		await eventually(() => stack.max.state.callbacks.get(callbackId)?.answered === true);
		await eventually(() => user.received.some((m) => m.body.text?.includes('магазин проверит')));
		expect((await customerBy(stack, 'max', '8401')).id).not.toBe(orderCustomer);
		await approveOpenReview();
		await eventually(async () => (await customerBy(stack, 'max', '8401')).id === orderCustomer);
	});
});
