import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../../connector-server/src/core/clock.ts';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { recordReturn } from '../../../../connector-server/src/core/counter/actions.ts';
import { createDevice } from '../../../../connector-server/src/core/counter/devices.ts';
import { createLocation } from '../../../../connector-server/src/core/counter/locations.ts';
import { deriveCounterKeys, verifyQrToken } from '../../../../connector-server/src/core/counter/qr-tokens.ts';
import { resolveCustomer } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { type EventReactor, ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import {
	enqueueJobs,
	listDeadLetters,
	retryDeadLetter,
} from '../../../../connector-server/src/core/outbox/outbox-repository.ts';
import { OutboxWorker } from '../../../../connector-server/src/core/outbox/outbox-worker.ts';
import type { InboundBatch } from '../../../../connector-server/src/core/ports/inbound.ts';
import {
	type OutboxHandler,
	PermanentDeliveryError,
} from '../../../../connector-server/src/core/ports/outbound.ts';
import {
	createReturnsRuntime,
	type ReturnsRuntime,
} from '../../../../connector-server/src/core/returns/runtime.ts';
import { ticketFailedText } from '../../../../connector-server/src/core/returns/texts.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createBitrix24Handlers } from '../../../../connector-server/src/hosts/bitrix24/handlers.ts';
import { RETURN_JOB } from '../../../../connector-server/src/hosts/bitrix24/returns.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const keys = deriveCounterKeys(Buffer.alloc(32, 9));

describe.each(dialects)('returns: the state machine of journey 3 (%s)', (dialect) => {
	let database: TestDatabase;
	let db: Db;
	let now = T0;
	const clock: Clock = { now: () => now };
	let tenantId: string;
	let otherTenant: string;
	let ivan: string;
	let olga: string;
	let ivanOrder: string;
	let olgaOrder: string;
	let returns: ReturnsRuntime;
	let reactors: EventReactor[] = [];
	let seq = 0;

	const message = (userId: string, data: { text?: string; buttonData?: string }, tenant = tenantId) => {
		seq += 1;
		const batch: InboundBatch = {
			identifiers: [{ type: 'telegram', value: userId, verified: true }],
			events: [
				{
					type: 'message.in',
					channel: 'telegram',
					occurredAt: now,
					sourceKey: `telegram:test:${seq}`,
					data: {
						channel: 'telegram',
						connectionId: 'conn-1',
						chatId: userId,
						externalId: `m${seq}`,
						attachments: [],
						...data,
					},
				},
			],
		};
		return db.transaction().execute((tx) => ingestBatch(tx, tenant, batch, now, reactors));
	};
	const jobs = async (tenant = tenantId) =>
		(
			await db
				.selectFrom('outbox')
				.select(['kind', 'payload', 'dedupe_key'])
				.where('tenant_id', '=', tenant)
				.orderBy('id')
				.execute()
		).map((j) => ({ ...j, payload: JSON.parse(j.payload) as Record<string, unknown> }));
	const lastBotText = async () => {
		const sends = (await jobs()).filter((j) => j.kind === 'message.send');
		return sends.at(-1)?.payload as {
			text: string;
			buttons?: { text: string; data?: string; url?: string }[];
		};
	};
	const order = async (customerId: string, number: string, status = 'delivered') => {
		const id = newId(now);
		await db
			.insertInto('orders')
			.values({
				id,
				tenant_id: tenantId,
				source: 'ozon',
				external_id: `P-${number}`,
				connection_id: null,
				number,
				status,
				raw_status: status,
				status_at: now,
				customer_id: customerId,
				buyer_known: 1,
				created_at: now,
				updated_at: now,
			})
			.execute();
		return id;
	};

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
		db = database.db;
		tenantId = (await makeTenant(db)).id;
		otherTenant = (await makeTenant(db)).id;
		returns = createReturnsRuntime({
			db,
			clock,
			keys,
			baseUrl: () => 'https://shop.example/nitka',
			reactors: () => reactors,
			durable: async () => undefined,
			committed: () => undefined,
		});
		reactors = [returns.reactor];
		const customer = async (userId: string, name: string) =>
			(
				await resolveCustomer(db, {
					tenantId,
					identifiers: [{ type: 'telegram', value: userId, verified: true }],
					source: 'telegram',
					profile: { name, source: 'messenger' },
					at: T0 - DAY,
				})
			).customerId;
		ivan = await customer('501', 'Иван');
		olga = await customer('502', 'Ольга');
		ivanOrder = await order(ivan, '1001');
		await order(ivan, '1000', 'cancelled');
		olgaOrder = await order(olga, '2001');
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('settings: defaults, then saved per tenant', async () => {
		expect(await returns.settings(tenantId)).toEqual({ mode: 'task', categoryId: 0, qrDays: 14 });
		await returns.saveSettings(tenantId, { mode: 'task', responsibleId: 27, categoryId: 0, qrDays: 10 });
		expect(await returns.tickets.settings(tenantId)).toMatchObject({ responsibleId: 27, qrDays: 10 });
		expect(await returns.settings(otherTenant)).toMatchObject({ qrDays: 14 });
	});

	it('a text outside a dialog and a forged order button request nothing', async () => {
		await message('501', { text: 'у меня кроссовки порвались' });
		await message('501', { buttonData: `return:order:${olgaOrder}` });
		expect(await db.selectFrom('returns').selectAll().execute()).toHaveLength(0);
		expect(await db.selectFrom('return_dialogs').selectAll().execute()).toHaveLength(0);
	});

	it('/return offers the customer’s own live orders; the pick asks the reason; the reason requests it', async () => {
		await message('501', { text: '/return' });
		const offer = await lastBotText();
		expect(offer.text).toContain('Какой заказ');
		expect(offer.buttons?.map((b) => b.data)).toEqual([`return:order:${ivanOrder}`, 'return:order:none']);
		await message('501', { buttonData: `return:order:${ivanOrder}` });
		expect((await lastBotText()).text).toContain('Заказ №1001. Опишите');
		now += 60_000;
		await message('501', { text: 'Порвались через неделю' });
		const rows = await db.selectFrom('returns').selectAll().where('tenant_id', '=', tenantId).execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			customer_id: ivan,
			order_id: ivanOrder,
			state: 'requested',
			reason: 'Порвались через неделю',
			channel: 'telegram',
			connection_id: 'conn-1',
			chat_id: '501',
		});
		expect(rows[0]!.number).toMatch(/^R-[0-9A-Z]{8}$/);
		expect((await lastBotText()).text).toContain(`Заявка на возврат ${rows[0]!.number} принята`);
		const requested = await db
			.selectFrom('events')
			.select(['data', 'customer_id'])
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'return.requested')
			.execute();
		expect(requested).toHaveLength(1);
		// The dialog is over: the next text is just a message.
		await message('501', { text: 'спасибо' });
		expect(
			await db.selectFrom('returns').selectAll().where('tenant_id', '=', tenantId).execute(),
		).toHaveLength(1);
	});

	it('no orders: the customer describes the goods, a return without an order', async () => {
		await message('502', { text: 'Возврат' });
		// Olga has an order: she picks "other".
		await message('502', { buttonData: 'return:order:none' });
		await message('502', { text: 'Куплено в магазине, брак' });
		const row = await db
			.selectFrom('returns')
			.selectAll()
			.where('customer_id', '=', olga)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ order_id: null, state: 'requested' });
	});

	it('the ticket job dies for good: the customer hears the shop will come back (once), staff get a note', async () => {
		const row = await db
			.selectFrom('returns')
			.selectAll()
			.where('customer_id', '=', olga)
			.executeTakeFirstOrThrow();
		// The Bitrix24 handlers as the server builds them, with a portal that is gone for good.
		const b24 = createBitrix24Handlers({
			pool: {
				forTenant: async () => {
					throw new PermanentDeliveryError('the portal is gone');
				},
			} as never,
			store: { secrets: async () => null } as never,
			links: {} as never,
			intake: {} as never,
			limits: { burst: 2, drainPerSecond: 2 } as never,
			now: () => now,
			returns: returns.tickets,
		});
		const worker = new OutboxWorker({
			db,
			handlers: {
				[RETURN_JOB.ticket]: b24[RETURN_JOB.ticket]!,
				'message.send': {
					parse: (p) => p,
					limits: () => [],
					deliver: async () => undefined,
				} as OutboxHandler,
			},
			clock,
			logger: silentLogger,
			workerId: `w-${dialect}`,
		});
		const ticketJob = {
			kind: RETURN_JOB.ticket,
			target: `b24:customer:${olga}`,
			dedupeKey: `b24:return:ticket:${row.id}`,
			payload: { returnId: row.id },
		};
		await enqueueJobs(db, tenantId, [ticketJob], now);
		await worker.runOnce();
		const number = row.number ?? '';
		expect((await lastBotText()).text).toBe(ticketFailedText(number));
		const dead = (await listDeadLetters(db, tenantId, 50)).items.filter((d) => d.kind === RETURN_JOB.ticket);
		expect(dead.map((d) => d.lastError)).toEqual(['the portal is gone']);
		const notes = await db
			.selectFrom('events')
			.select(['data', 'customer_id'])
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'note')
			.execute();
		expect(notes).toHaveLength(1);
		expect(notes[0]?.customer_id).toBe(olga);
		expect(JSON.parse(notes[0]!.data)).toEqual({
			text: `Возврат ${number}: заявка не передана в Bitrix24. Клиенту сказали, что с ним свяжутся.\nОшибка: the portal is gone`,
			author: 'Nitka',
		});
		// Retried by staff and dead again: another note, but the customer is not told twice.
		await retryDeadLetter(db, tenantId, dead[0]!.id, now);
		await worker.runOnce();
		const told = (await jobs()).filter(
			(j) => j.kind === 'message.send' && (j.payload as { text: string }).text === ticketFailedText(number),
		);
		expect(told).toHaveLength(1);
		expect(
			await db
				.selectFrom('events')
				.select('id')
				.where('tenant_id', '=', tenantId)
				.where('type', '=', 'note')
				.execute(),
		).toHaveLength(2);
		// The return still waits for its ticket.
		expect((await returns.get(tenantId, row.id)).state).toBe('requested');
	});

	it('a ticket is recorded, found by its id, listed while open', async () => {
		const row = await db
			.selectFrom('returns')
			.selectAll()
			.where('customer_id', '=', ivan)
			.executeTakeFirstOrThrow();
		await returns.tickets.recordTicket(tenantId, row.id, {
			host: 'bitrix24',
			id: 'task:7',
			url: 'https://p/t/7/',
		});
		const info = await returns.tickets.byTicket(tenantId, 'bitrix24', 'task:7');
		expect(info).toMatchObject({
			returnId: row.id,
			state: 'requested',
			order: { id: ivanOrder, source: 'ozon', externalId: 'P-1001', number: '1001' },
			ticket: { host: 'bitrix24', id: 'task:7' },
		});
		expect(await returns.tickets.byTicket(otherTenant, 'bitrix24', 'task:7')).toBeNull();
		expect(await returns.tickets.openTickets(tenantId, 'bitrix24', 10)).toEqual([
			{ returnId: row.id, ticketId: 'task:7' },
		]);
	});

	it('approval: once, a deadline, a single-use return QR in the chat; a second approval changes nothing', async () => {
		const row = await db
			.selectFrom('returns')
			.selectAll()
			.where('customer_id', '=', ivan)
			.executeTakeFirstOrThrow();
		now += DAY;
		expect(await returns.tickets.approve(tenantId, row.id, 'bitrix24:task:7')).toBe('approved');
		const approved = await returns.get(tenantId, row.id);
		expect(approved.state).toBe('approved');
		expect(Date.parse(approved.deadlineAt!) - Date.parse(approved.approvedAt!)).toBe(10 * DAY);
		const sent = await lastBotText();
		expect(sent.text).toContain(`Возврат ${approved.number} одобрен`);
		const url = sent.buttons?.[0]?.url ?? '';
		expect(url.startsWith('https://shop.example/nitka/returns/nq1.')).toBe(true);
		const claims = verifyQrToken(keys, url.split('/returns/')[1]!, now);
		expect(claims).toMatchObject({ tenantId, customerId: ivan, kind: 'return', refId: row.id });
		expect(claims.expiresAt).toBe(Math.floor((now + 10 * DAY) / 1000) * 1000);
		const before = (await jobs()).length;
		expect(await returns.tickets.approve(tenantId, row.id, 'api')).toBe('unchanged');
		expect((await jobs()).length).toBe(before);
		expect(await returns.tickets.openTickets(tenantId, 'bitrix24', 10)).toEqual([]);
	});

	it('received at the counter with the QR: the order returned, the customer told; the QR spent', async () => {
		const row = await db
			.selectFrom('returns')
			.selectAll()
			.where('customer_id', '=', ivan)
			.executeTakeFirstOrThrow();
		const token = ((await lastBotText()).buttons?.[0]?.url ?? '').split('/returns/')[1]!;
		const location = await createLocation(db, tenantId, { name: 'Тверская', kind: 'store' }, now);
		const { device } = await createDevice(db, tenantId, location.id, 'Касса', now);
		const ctx = {
			device: { deviceId: device.id, tenantId, locationId: location.id, name: 'Касса' },
			actionId: 'a1',
			now,
		};
		await db
			.transaction()
			.execute((tx) => recordReturn(tx, { keys, reactors }, ctx, ivan, { returnToken: token, items: [] }));
		expect((await returns.get(tenantId, row.id)).state).toBe('received');
		const ord = await db
			.selectFrom('orders')
			.select('status')
			.where('id', '=', ivanOrder)
			.executeTakeFirstOrThrow();
		expect(ord.status).toBe('returned');
		const changed = await db
			.selectFrom('events')
			.select('data')
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'order.status_changed')
			.execute();
		expect(changed.map((e) => (JSON.parse(e.data as string) as { to: string }).to)).toContain('returned');
		expect((await lastBotText()).text).toContain('принят в магазине «Тверская»');
		await expect(
			db.transaction().execute((tx) =>
				recordReturn(tx, { keys, reactors }, { ...ctx, actionId: 'a2' }, ivan, {
					returnToken: token,
					items: [],
				}),
			),
		).rejects.toMatchObject({ code: 'token-used' });
		// Approving a received return changes nothing either.
		expect(await returns.tickets.approve(tenantId, row.id, 'api')).toBe('unchanged');
	});
	it('rejection: once, the customer told, no approval afterwards', async () => {
		const olgaReturn = await db
			.selectFrom('returns')
			.selectAll()
			.where('customer_id', '=', olga)
			.executeTakeFirstOrThrow();
		expect(await returns.tickets.reject(tenantId, olgaReturn.id, 'bitrix24:deal:9')).toBe('rejected');
		expect((await lastBotText()).text).toContain(`возврат ${olgaReturn.number} не одобрен`);
		const rejected = await db
			.selectFrom('events')
			.select('data')
			.where('tenant_id', '=', tenantId)
			.where('type', '=', 'return.rejected')
			.execute();
		expect(rejected).toHaveLength(1);
		const before = (await jobs()).length;
		expect(await returns.tickets.reject(tenantId, olgaReturn.id, 'api')).toBe('unchanged');
		expect(await returns.tickets.approve(tenantId, olgaReturn.id, 'api')).toBe('unchanged');
		expect((await jobs()).length).toBe(before);
		expect((await returns.get(tenantId, olgaReturn.id)).state).toBe('rejected');
	});
});
