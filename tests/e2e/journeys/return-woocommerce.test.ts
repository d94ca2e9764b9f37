import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../connector-server/src/core/clock.ts';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import type { TgMessage } from '../../emulators/telegram/types.ts';
import { applicationAuth, ensureWordPress, shop, type WordPressHarness } from '../../wordpress/harness.ts';
import { type ChannelStack, eventually, startChannelStack, timeline } from '../channels/stack.ts';

// This journey runs its own WordPress (folder, MariaDB, port), so it never meets another test's pairing.
const here = new URL('.', import.meta.url).pathname;
process.env.NITKA_WP_RUN ??= join(tmpdir(), 'nitka-wp-journey-return');
const sharedCache = join(here, '../../wordpress/.run/cache');
if (existsSync(sharedCache)) {
	mkdirSync(join(process.env.NITKA_WP_RUN, 'cache'), { recursive: true });
	for (const file of readdirSync(sharedCache).filter((f) => f.endsWith('.tgz'))) {
		const target = join(process.env.NITKA_WP_RUN, 'cache', file);
		if (!existsSync(target)) copyFileSync(join(sharedCache, file), target);
	}
}

interface WcOrder {
	id: number;
	status: string;
	notes: string[];
}

function buttonData(message: TgMessage | undefined, label: string): string {
	const button = message?.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(label));
	if (!button?.callback_data) throw new Error(`no button "${label}"`);
	return button.callback_data;
}

// Journey 3 (issue 8), WooCommerce variant: the customer asks to return a WooCommerce order in
// Telegram; the order gets a private note with the reason; the shop approves through the API
// (WooCommerce sends no approval event) and the customer gets a return QR; the counter accepts the
// goods; the order gets its note and turns "Refunded"; the customer is told.
describe('journey 3 (WooCommerce): a return noted on the order, refunded at the counter', () => {
	let wp: WordPressHarness;
	let stack: ChannelStack;
	let deviceKey: string;
	let wcOrderId: number;
	let customerId: string;
	let returnId: string;
	let returnToken: string;
	let keySeq = 0;
	const olga = () => stack.tg.user({ id: 9_301, first_name: 'Ольга' });
	const texts = () => olga().received.map((m) => m.text ?? '');
	const wcOrder = async () => await shop<WcOrder>('order', { id: wcOrderId });
	const counter = async (path: string, body?: unknown) => {
		const response = await fetch(`${stack.server.url}/api/v1/counter${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: {
				authorization: `Bearer ${deviceKey}`,
				'content-type': 'application/json',
				...(body === undefined ? {} : { 'idempotency-key': `return-wc-${++keySeq}` }),
			},
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	beforeAll(async () => {
		[wp, stack] = await Promise.all([ensureWordPress(), startChannelStack({ public: true })]);
		await shop('reset');
	}, 300_000);
	afterAll(async () => {
		await stack?.close();
	});

	it('the shop pairs WooCommerce, connects Telegram, sets up a counter', async () => {
		const { key } = await issueApiKey(stack.server.db, { tenantId: stack.tenantId }, 'wp', Date.now());
		const issued = await fetch(`${stack.server.url}/api/v1/woocommerce/pairing-codes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({ tenantId: stack.tenantId }),
		});
		const { code } = (await issued.json()) as { code: string };
		const paired = await fetch(`${wp.url}/wp-json/nitka/v1/pair`, {
			method: 'POST',
			headers: { authorization: applicationAuth(wp), 'content-type': 'application/json' },
			body: JSON.stringify({ url: stack.server.url, code }),
		});
		expect(paired.status).toBe(200);
		expect(
			(await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token })).status,
		).toBe(201);
		const store = await stack.api<{ id: string }>('POST', '/locations', {
			name: 'Шоурум на Арбате',
			kind: 'store',
		});
		const device = await stack.api<{ key: string }>('POST', `/locations/${store.body.id}/devices`, {
			name: 'Касса',
		});
		deviceKey = device.body.key;
	});

	it('Olga asks to return her WooCommerce order: the order gets a private note with her reason', async () => {
		wcOrderId = (await shop<{ id: number }>('create-order', { status: 'completed' })).id;
		olga().sendText('Добрый день');
		customerId = await eventually(async () => {
			const row = await stack.server.db
				.selectFrom('identities')
				.select('customer_id')
				.where('type', '=', 'telegram')
				.where('value', '=', '9301')
				.executeTakeFirst();
			return row?.customer_id;
		});
		const now = Date.now();
		await stack.server.db
			.insertInto('orders')
			.values({
				id: newId(now),
				tenant_id: stack.tenantId,
				source: 'woocommerce',
				external_id: String(wcOrderId),
				connection_id: null,
				number: String(wcOrderId),
				status: 'delivered',
				raw_status: 'completed',
				status_at: now,
				customer_id: customerId,
				buyer_known: 1,
				created_at: now,
				updated_at: now,
			})
			.execute();
		olga().sendText('Вернуть товар');
		const choose = await eventually(() => olga().received.find((m) => m.text?.includes('Какой заказ')));
		olga().pressButton(choose.message_id, buttonData(choose, String(wcOrderId)));
		await eventually(() => texts().some((t) => t.includes('Опишите')));
		olga().sendText('Платье не подошло по размеру <b>совсем</b>');
		await eventually(() => texts().some((t) => t.includes('Заявка на возврат R-')));
		const note = await eventually(
			async () => (await wcOrder()).notes.find((n) => n.includes('Платье не подошло')),
			20_000,
		);
		expect(note).toMatch(
			/^Return R-[0-9A-Z]{8} requested by the customer in the chat\. Reason: Платье не подошло по размеру совсем$/,
		);
		const row = await stack.server.db
			.selectFrom('returns')
			.selectAll()
			.where('tenant_id', '=', stack.tenantId)
			.executeTakeFirstOrThrow();
		returnId = row.id;
		expect(row).toMatchObject({
			state: 'requested',
			host: 'woocommerce',
			host_ticket_id: `order:${wcOrderId}`,
		});
	});

	it('the shop approves through the API: a note on the order, a return QR in Telegram', async () => {
		const approved = await stack.api<{ state: string }>('POST', `/returns/${returnId}/approve`);
		expect(approved.status).toBe(200);
		expect(approved.body.state).toBe('approved');
		const text = await eventually(() => texts().find((t) => t.includes('одобрен. Покажите')));
		returnToken = /\/returns\/(nq1\.\S+)/.exec(text)![1]!;
		await eventually(async () => (await wcOrder()).notes.some((n) => n.includes('approved')), 20_000);
	});

	it('the counter accepts the goods: the order turns Refunded with a note, Olga is told, the QR is spent', async () => {
		const card = await counter('/identify', { qr: returnToken });
		expect(card.body.scanned).toEqual({ kind: 'return', returnId });
		expect((await counter(`/customers/${customerId}/returns`, { returnId, items: [] })).status).toBe(201);
		const order = await eventually(async () => {
			const o = await wcOrder();
			return o.status === 'refunded' ? o : undefined;
		}, 20_000);
		expect(order.notes[0]).toContain('received at Шоурум на Арбате');
		expect(order.notes.filter((n) => n.includes('requested by the customer'))).toHaveLength(1);
		await eventually(() => texts().some((t) => t.includes('принят в магазине «Шоурум на Арбате»')));
		expect((await counter('/identify', { qr: returnToken })).body.code).toBe('token-used');
		const types = (await timeline(stack, customerId)).map((e) => e.type);
		for (const type of [
			'message.in',
			'return.requested',
			'return.approved',
			'pos.return',
			'order.status_changed',
		])
			expect(types).toContain(type);
	});
});
