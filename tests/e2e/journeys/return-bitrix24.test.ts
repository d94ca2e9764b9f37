import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../connector-server/src/core/clock.ts';
import type { InboundBatch } from '../../../connector-server/src/core/ports/inbound.ts';
import { completeTaskAsUser, moveDealAsUser, tasksOf } from '../../emulators/bitrix24/index.ts';
import type { TgMessage } from '../../emulators/telegram/types.ts';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from '../bitrix24/stack.ts';

const MANAGER = 27;

/** The callback data of a bot message's inline button whose label contains `label`. */
function buttonData(message: TgMessage | undefined, label: string): string {
	const button = message?.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(label));
	if (!button?.callback_data) throw new Error(`no button "${label}"`);
	return button.callback_data;
}

// Journey 3 (issue 8) on Bitrix24: a customer complains in Telegram and picks the order; a task is
// created for the shop's responsible manager, bound to the contact and the order's deal; the
// manager completes it (its event lost once, the poll notices) and the customer gets a return QR;
// the counter scans it and accepts the goods; the task gets a comment and is completed, the order
// becomes "returned" (its deal follows), the customer is told; the same QR again is refused.
describe('journey 3: a complaint in Telegram, a Bitrix24 task, a return by QR', () => {
	let stack: Bitrix24Stack;
	let tenantId: string;
	let session: string;
	let deviceKey: string;
	let customerId: string;
	let orderId: string;
	let returnId: string;
	let returnToken: string;
	let taskId: number;
	let keySeq = 0;
	const base = () => `${stack.server.url}/api/v1/tenants/${tenantId}`;
	const ivan = () => stack.tg.user({ id: 8_101, first_name: 'Иван', last_name: 'Смирнов' });
	const texts = () => ivan().received.map((m) => m.text ?? '');
	const counter = async (path: string, body?: unknown) => {
		const response = await fetch(`${stack.server.url}/api/v1/counter${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: {
				authorization: `Bearer ${deviceKey}`,
				'content-type': 'application/json',
				...(body === undefined ? {} : { 'idempotency-key': `return-e2e-${++keySeq}` }),
			},
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const timelineTypes = async () => {
		const page = await api<{ items: { type: string; data: Record<string, unknown> }[] }>(
			`${base()}/customers/${customerId}/timeline?limit=200`,
			'GET',
			session,
		);
		return page.body.items;
	};

	beforeAll(async () => {
		stack = await startBitrix24Stack({
			scope: 'crm,imopenlines,imconnector,im,placement,user_brief,task',
			bitrix24: { returnsPollMs: 300 },
		});
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
		tenantId = (
			await stack.server.db.selectFrom('host_portals').select('tenant_id').executeTakeFirstOrThrow()
		).tenant_id;
		const frame = stack.b24.issueFrameAuth(APP_ID);
		const opened = await api<{ token: string }>(
			`${stack.server.url}/api/v1/hosts/bitrix24/session`,
			'POST',
			undefined,
			{
				domain: frame.domain,
				memberId: frame.memberId,
				accessToken: frame.accessToken,
				placement: 'DEFAULT',
			},
		);
		expect(opened.status).toBe(200);
		session = opened.body.token;
		const connected = await api(`${base()}/connections`, 'POST', session, {
			channel: 'telegram',
			token: stack.tg.token,
		});
		expect(connected.status).toBe(201);
		const location = await api<{ id: string }>(`${base()}/locations`, 'POST', session, {
			name: 'Магазин на Тверской',
			kind: 'store',
		});
		const device = await api<{ key: string }>(
			`${base()}/locations/${location.body.id}/devices`,
			'POST',
			session,
			{
				name: 'Касса 1',
			},
		);
		expect(device.status).toBe(201);
		deviceKey = device.body.key;
	});
	afterAll(async () => {
		await stack?.close();
	});

	it('the shop assigns returns to its manager: task mode, the task events bound', async () => {
		const saved = await api(`${base()}/return-settings`, 'PUT', session, {
			mode: 'task',
			responsibleId: MANAGER,
			qrDays: 14,
		});
		expect(saved.status).toBe(200);
		expect(saved.body).toMatchObject({ mode: 'task', responsibleId: MANAGER, qrDays: 14 });
		const bound = stack.b24.portal().state.events.filter((e) => e.event === 'ONTASKUPDATE');
		expect(bound.map((e) => e.offline).sort()).toEqual([false, true]);
		// Saving again binds nothing twice.
		expect((await api(`${base()}/return-settings`, 'PUT', session, saved.body)).status).toBe(200);
		expect(stack.b24.portal().state.events.filter((e) => e.event === 'ONTASKUPDATE')).toHaveLength(2);
	});

	it('Ivan, who bought on Ozon, asks to return: picks the order, gives the reason; a task for the manager', async () => {
		ivan().sendText('Здравствуйте');
		await eventually(async () => {
			const row = await stack.server.db
				.selectFrom('identities')
				.select('customer_id')
				.where('type', '=', 'telegram')
				.where('value', '=', '8101')
				.executeTakeFirst();
			customerId = row?.customer_id ?? '';
			return row !== undefined;
		});
		// His Ozon order (its deal appears in Bitrix24 from the order event, as marketplace orders do).
		const batch: InboundBatch = {
			identifiers: [{ type: 'telegram', value: '8101', verified: true }],
			events: [
				{
					type: 'order.created',
					channel: 'ozon',
					occurredAt: Date.now(),
					sourceKey: 'ozon:P-7001:created',
					data: {
						source: 'ozon',
						orderId: 'P-7001',
						number: '7001-1',
						status: 'delivered',
						rawStatus: 'delivered',
						total: '4990.00',
						currency: 'RUB',
						items: [{ sku: 'SNK-42', name: 'Кроссовки', quantity: 1, price: '4990.00' }],
					},
				},
			],
		};
		await stack.ingest(tenantId, batch, 'ozon:P-7001:created');
		const { state } = stack.b24.portal();
		const deal = await eventually(() => state.crm.all(2).find((d) => d.fields.ORIGIN_ID === 'ozon:P-7001'));
		orderId = newId();
		await stack.server.db
			.insertInto('orders')
			.values({
				id: orderId,
				tenant_id: tenantId,
				source: 'ozon',
				external_id: 'P-7001',
				connection_id: null,
				number: '7001-1',
				status: 'delivered',
				raw_status: 'delivered',
				status_at: Date.now(),
				customer_id: customerId,
				buyer_known: 1,
				created_at: Date.now(),
				updated_at: Date.now(),
			})
			.execute();

		ivan().sendText('/return');
		const choose = await eventually(() => ivan().received.find((m) => m.text?.includes('Какой заказ')));
		ivan().pressButton(choose.message_id, buttonData(choose, '7001-1'));
		await eventually(() => texts().some((t) => t.includes('Заказ №7001-1. Опишите')));
		ivan().sendText('Кроссовки порвались через неделю [b]носки[/b] <i>совсем</i>');
		const confirmed = await eventually(() => texts().find((t) => t.includes('Заявка на возврат R-')));
		const number = /R-[0-9A-Z]{8}/.exec(confirmed)?.[0];
		expect(number).toBeDefined();

		const task = await eventually(() => [...tasksOf(state).values()][0]);
		taskId = task.ID;
		const contact = state.crm.all(3)[0]!;
		expect(task).toMatchObject({
			RESPONSIBLE_ID: MANAGER,
			CREATED_BY: 1,
			STATUS: 2,
			TASK_CONTROL: 'Y',
			UF_CRM_TASK: [`C_${contact.ID}`, `D_${deal.ID}`],
		});
		expect(task.TITLE).toBe(`Возврат ${number} по заказу №7001-1`);
		// The customer's words as plain text: no BB code reaches the task.
		expect(task.DESCRIPTION).toContain('Кроссовки порвались через неделю (b)носки(/b) <i>совсем</i>');
		expect(task.DESCRIPTION).toContain('Кроссовки × 1 (4990.00)');
		expect(task.DESCRIPTION).not.toContain('[b]');

		const list = await api<{ items: { id: string; state: string; hostTicketId: string; number: string }[] }>(
			`${base()}/returns`,
			'GET',
			session,
		);
		expect(list.body.items).toEqual([
			expect.objectContaining({ state: 'requested', hostTicketId: `task:${task.ID}`, number }),
		]);
		returnId = list.body.items[0]!.id;
	});

	it('the manager completes the task; its event is lost, the poll notices: Ivan gets a return QR', async () => {
		stack.b24.faults.add({ match: 'ONTASKUPDATE', fault: { kind: 'drop' }, times: 1 });
		const { state } = stack.b24.portal();
		const task = await completeTaskAsUser(state, stack.b24.events, stack.b24.clock, taskId, MANAGER);
		// The responsible's "done" waits for the creator's acceptance: status 4 approves the return.
		expect(task.STATUS).toBe(4);
		expect(stack.b24.events.deliveries.filter((d) => d.event === 'ONTASKUPDATE').at(-1)?.dropped).toBe(true);

		const approved = await eventually(() => texts().find((t) => t.includes('одобрен. Покажите')), 15_000);
		const message = ivan().received.find((m) => m.text === approved);
		const url = /https?:\/\/\S+\/returns\/(nq1\.\S+)/.exec(approved);
		expect(url).not.toBeNull();
		returnToken = url![1]!;
		expect(message?.reply_markup?.inline_keyboard.flat()[0]).toMatchObject({ url: url![0] });
		const row = await stack.server.db
			.selectFrom('returns')
			.selectAll()
			.where('id', '=', returnId)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ state: 'approved', approved_by: `bitrix24:task:${taskId}` });
		expect(Number(row.deadline_at) - Number(row.approved_at)).toBe(14 * 86_400_000);

		// The page and its QR image (the link is the credential; showing it spends nothing).
		const page = await fetch(url![0]);
		expect(page.status).toBe(200);
		expect(page.headers.get('cache-control')).toBe('no-store');
		expect(await page.text()).toContain(row.number!);
		const svg = await fetch(`${url![0]}/qr.svg`);
		expect(svg.headers.get('content-type')).toContain('image/svg+xml');
		expect(await svg.text()).toContain('<svg');
		expect((await fetch(`${stack.server.url}/returns/nq1.forged.${'A'.repeat(43)}`)).status).toBe(404);

		// Approving again (the admin route, a late event) changes nothing and sends nothing.
		const again = await api(`${base()}/returns/${returnId}/approve`, 'POST', session);
		expect(again.body).toMatchObject({ state: 'approved' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(texts().filter((t) => t.includes('одобрен. Покажите'))).toHaveLength(1);
	});

	it('the counter scans the return QR and accepts the goods; the same QR again is refused', async () => {
		const card = await counter('/identify', { qr: returnToken });
		expect(card.status).toBe(200);
		expect(card.body.scanned).toEqual({ kind: 'return', returnId });
		expect((card.body.returns as { id: string }[]).map((r) => r.id)).toContain(returnId);
		const accepted = await counter(`/customers/${customerId}/returns`, { returnId, items: [] });
		expect(accepted.status).toBe(201);
		expect(accepted.body).toMatchObject({ returnId, duplicate: false });

		const replayed = await counter('/identify', { qr: returnToken });
		expect(replayed.status).toBe(409);
		expect(replayed.body.code).toBe('token-used');
		const again = await counter(`/customers/${customerId}/returns`, { returnToken, items: [] });
		expect(again.status).toBe(409);
		expect(again.body.code).toBe('token-used');
		const page = await fetch(`${stack.server.url}/returns/${returnToken}`);
		expect(await page.text()).toContain('уже принят');
	});

	it('Bitrix24 shows it: a comment, the task completed, the order deal returned; Ivan is told', async () => {
		const { state } = stack.b24.portal();
		const task = await eventually(() => {
			const t = tasksOf(state).get(taskId);
			return t?.STATUS === 5 ? t : undefined;
		});
		expect(task.comments.map((c) => c.POST_MESSAGE)).toEqual([
			expect.stringMatching(/^Товар по возврату R-[0-9A-Z]{8} принят в магазине «Магазин на Тверской»/),
		]);
		const deal = state.crm.all(2).find((d) => d.fields.ORIGIN_ID === 'ozon:P-7001');
		await eventually(() => state.crm.get(2, deal!.ID)?.fields.STAGE_ID === 'LOSE');
		const told = await eventually(() => texts().find((t) => t.includes('принят в магазине')));
		expect(told).toContain('Деньги (4990.00 RUB) вернём');
		const order = await stack.server.db
			.selectFrom('orders')
			.select('status')
			.where('id', '=', orderId)
			.executeTakeFirstOrThrow();
		expect(order.status).toBe('returned');
		const returned = await stack.server.db
			.selectFrom('returns')
			.select(['state', 'received_at'])
			.where('id', '=', returnId)
			.executeTakeFirstOrThrow();
		expect(returned.state).toBe('received');

		const events = await timelineTypes();
		const types = events.map((e) => e.type);
		for (const type of [
			'message.in',
			'return.requested',
			'return.approved',
			'pos.return',
			'order.status_changed',
		])
			expect(types).toContain(type);
		expect(events.find((e) => e.type === 'return.requested')?.data).toMatchObject({
			returnId,
			orderId,
			orderNumber: '7001-1',
		});
		expect(events.find((e) => e.type === 'order.status_changed' && e.data.to === 'returned')).toBeDefined();
		expect(events.find((e) => e.type === 'pos.return')?.data).toMatchObject({ orderId, total: '4990.00' });
	});
	it('deal mode: the next return is a deal in the returns pipeline; the manager moves it, the event approves it', async () => {
		const saved = await api(`${base()}/return-settings`, 'PUT', session, {
			mode: 'deal',
			responsibleId: MANAGER,
			categoryId: 3,
		});
		expect(saved.status).toBe(200);
		const { state } = stack.b24.portal();
		expect(state.events.filter((e) => e.event === 'ONCRMDEALUPDATE' && !e.offline)).toHaveLength(1);
		// His only order is returned already: no order to pick, the reason straight away.
		ivan().sendText('Вернуть товар');
		await eventually(() => texts().some((t) => t.includes('Мы не нашли ваших заказов')));
		ivan().sendText('Куплены в магазине наушники, не работает левый');
		const deal = await eventually(() =>
			state.crm.all(2).find((d) => String(d.fields.ORIGIN_ID).startsWith('return:')),
		);
		expect(deal.fields).toMatchObject({ CATEGORY_ID: 3, ASSIGNED_BY_ID: MANAGER, STAGE_ID: 'C3:NEW' });
		expect(String(deal.fields.COMMENTS)).toContain('Куплены в магазине наушники, не работает левый');
		const second = String(deal.fields.ORIGIN_ID).slice('return:'.length);
		await eventually(
			async () =>
				(await api<{ hostTicketId: string }>(`${base()}/returns/${second}`, 'GET', session)).body
					.hostTicketId === `deal:${deal.ID}`,
		);

		await moveDealAsUser(state, stack.b24.events, stack.b24.clock, deal.ID, 'C3:PREPARATION');
		expect(stack.b24.events.deliveries.filter((d) => d.event === 'ONCRMDEALUPDATE').at(-1)?.status).toBe(200);
		const approved = await eventually(() =>
			texts().find((t) => t.includes('одобрен. Покажите') && !t.includes(returnToken)),
		);
		const token = /\/returns\/(nq1\.\S+)/.exec(approved)![1]!;
		const row = await api<{ state: string }>(`${base()}/returns/${second}`, 'GET', session);
		expect(row.body.state).toBe('approved');

		const card = await counter('/identify', { qr: token });
		expect(card.body.scanned).toEqual({ kind: 'return', returnId: second });
		expect((await counter(`/customers/${customerId}/returns`, { returnId: second, items: [] })).status).toBe(
			201,
		);
		await eventually(() => state.crm.get(2, deal.ID)?.fields.STAGE_ID === 'C3:WON');
		expect((await api<{ state: string }>(`${base()}/returns/${second}`, 'GET', session)).body.state).toBe(
			'received',
		);
	});
	it('deal mode: a deal moved to the rejected stage rejects the return; Ivan is told', async () => {
		const { state } = stack.b24.portal();
		const before = state.crm.all(2).length;
		ivan().sendText('/return');
		await eventually(() => texts().filter((t) => t.includes('Мы не нашли ваших заказов')).length === 2);
		ivan().sendText('Передумал, хочу вернуть чайник');
		const deal = await eventually(() =>
			state.crm.all(2).length > before ? state.crm.all(2).at(-1) : undefined,
		);
		const third = String(deal.fields.ORIGIN_ID).slice('return:'.length);
		await eventually(
			async () =>
				(await api<{ hostTicketId: string }>(`${base()}/returns/${third}`, 'GET', session)).body
					.hostTicketId === `deal:${deal.ID}`,
		);
		await moveDealAsUser(state, stack.b24.events, stack.b24.clock, deal.ID, 'C3:LOSE');
		await eventually(() => texts().some((t) => t.includes('не одобрен')));
		expect((await api<{ state: string }>(`${base()}/returns/${third}`, 'GET', session)).body.state).toBe(
			'rejected',
		);
	});
});
