import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObservation } from '../../../connector-server/src/core/orders/apply-observation.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack } from './stack.ts';

// A customer names an Ozon posting number in Telegram: the bot asks (inline yes/no buttons), the
// customer presses "yes", and the chat's customer and the order's customer become one.
describe('order numbers named in a chat', () => {
	let stack: ChannelStack;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
	});
	afterAll(async () => {
		await stack.close();
	});

	it('asks with buttons, links after "yes", and answers the press', async () => {
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
		await eventually(() => nina.received.some((m) => m.text === 'Готово: чат связан с заказом.'));
		const customer = await customerBy(stack, 'telegram', '6101');
		expect(customer.id).toBe(orderCustomer);
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

	it('VK: callback buttons in an inline keyboard; "yes" links and the press is answered', async () => {
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
		await eventually(async () => (await customerBy(stack, 'vk', String(oleg.id))).id === orderCustomer);
	});

	it('MAX: callback buttons in an inline_keyboard attachment; answered via /answers and linked', async () => {
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
		await eventually(async () => (await customerBy(stack, 'max', '8401')).id === orderCustomer);
	});
});
