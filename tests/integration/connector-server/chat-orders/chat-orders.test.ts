import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	CATALOG_JOB_KIND,
	type ChatOrderDeps,
	orderIntent,
	PLACE_JOB_KIND,
} from '../../../../connector-server/src/core/chat-orders/chat-order-reactor.ts';
import { createChatOrderRuntime } from '../../../../connector-server/src/core/chat-orders/runtime.ts';
import {
	CATALOG_DEAD_TEXT,
	PLACE_DEAD_TEXT,
} from '../../../../connector-server/src/core/chat-orders/texts.ts';
import type { Clock } from '../../../../connector-server/src/core/clock.ts';
import { newId } from '../../../../connector-server/src/core/clock.ts';
import { appendEvent } from '../../../../connector-server/src/core/events/event-store.ts';
import { type EventReactor, ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import {
	enqueueJobs,
	listDeadLetters,
	retryDeadLetter,
} from '../../../../connector-server/src/core/outbox/outbox-repository.ts';
import { OutboxWorker } from '../../../../connector-server/src/core/outbox/outbox-worker.ts';
import {
	type HostCatalog,
	type HostOrderInput,
	HostOrderRefusedError,
	type HostProduct,
} from '../../../../connector-server/src/core/ports/host-catalog.ts';
import type { InboundBatch, InboundEvent } from '../../../../connector-server/src/core/ports/inbound.ts';
import {
	type OutboxHandler,
	PermanentDeliveryError,
	TransientDeliveryError,
} from '../../../../connector-server/src/core/ports/outbound.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

/** A host catalog in memory: seven products, orders once per key, refusals on demand. */
function fakeCatalog() {
	const products: HostProduct[] = Array.from({ length: 7 }, (_, i) => ({
		id: String(101 + i),
		name: `Чай ${i + 1}`,
		price: `${(i + 1) * 100}.00`,
		currency: 'RUB',
		url: `https://tea.example/p/${101 + i}`,
	}));
	const orders = new Map<string, HostOrderInput>();
	const state = { gone: [] as string[], failOnce: false, calls: 0, down: false, refuse: false };
	const catalog: HostCatalog = {
		host: 'fake',
		limits: () => [],
		async listProducts(_tenantId, query) {
			if (state.down) throw new TransientDeliveryError('host down');
			const perPage = query.perPage ?? 5;
			const page = query.page ?? 1;
			return {
				products: products.slice((page - 1) * perPage, page * perPage),
				page,
				total: products.length,
				totalPages: Math.ceil(products.length / perPage),
			};
		},
		async createOrder(_tenantId, input) {
			state.calls += 1;
			if (state.down) throw new TransientDeliveryError('host down');
			if (state.refuse) throw new PermanentDeliveryError('no such pipeline');
			if (state.failOnce) {
				state.failOnce = false;
				throw new TransientDeliveryError('host down');
			}
			const gone = input.items.map((i) => i.productId).filter((id) => state.gone.includes(id));
			if (gone.length > 0) throw new HostOrderRefusedError('gone', 'unavailable', gone);
			orders.set(input.idempotencyKey, input);
			const number = String([...orders.keys()].indexOf(input.idempotencyKey) + 501);
			const items = input.items.map((i) => {
				const p = products.find((x) => x.id === i.productId)!;
				return { productId: p.id, name: p.name, quantity: i.quantity, price: p.price };
			});
			return {
				source: 'chat',
				orderId: input.idempotencyKey,
				number,
				status: 'created',
				rawStatus: 'NEW',
				total: items.reduce((s, i) => s + Number(i.price) * i.quantity, 0).toFixed(2),
				currency: 'RUB',
				items,
				url: null,
			};
		},
	};
	return { catalog, orders, state };
}

describe('orderIntent', () => {
	it('reads buttons, /catalog and typed quantities; ignores edits and foreign buttons', () => {
		expect(orderIntent({ text: '/catalog' })).toEqual({ kind: 'catalog', page: 1 });
		expect(orderIntent({ text: 'Каталог!' })).toEqual({ kind: 'catalog', page: 1 });
		expect(orderIntent({ buttonData: 'co:cat:3' })).toEqual({ kind: 'catalog', page: 3 });
		expect(orderIntent({ buttonData: 'co:add:42' })).toEqual({ kind: 'product', productId: '42' });
		expect(orderIntent({ buttonData: 'co:qty:2' })).toEqual({ kind: 'quantity', quantity: 2, typed: false });
		expect(orderIntent({ text: '3 шт' })).toEqual({ kind: 'quantity', quantity: 3, typed: true });
		expect(orderIntent({ buttonData: 'co:qty:0' })).toBeNull();
		expect(orderIntent({ buttonData: 'co:add:../x' })).toBeNull();
		expect(orderIntent({ buttonData: 'card' })).toBeNull();
		expect(orderIntent({ text: '/catalog', editOf: '5' })).toBeNull();
		expect(orderIntent({ text: 'Где мой заказ?' })).toBeNull();
	});
});

describe.each(dialects)('chat orders: the ordering conversation (%s)', (dialect) => {
	let database: TestDatabase;
	let db: Db;
	let now = T0;
	const clock: Clock = { now: () => now };
	let tenantA: string;
	let tenantB: string;
	let storeA: string;
	let storeB: string;
	const fake = fakeCatalog();
	let catalogFor: (tenantId: string) => HostCatalog | null = () => fake.catalog;
	let reactors: EventReactor[] = [];
	const deps: ChatOrderDeps = {
		clock,
		catalogs: async (tenantId) => catalogFor(tenantId),
		reactors: () => reactors,
		committed: () => undefined,
		privateChat: (_channel, chatId) => !chatId.startsWith('-'),
	};
	let runtime: ReturnType<typeof createChatOrderRuntime>;
	let seq = 0;

	const message = (
		tenantId: string,
		chatId: string,
		content: { text?: string; buttonData?: string },
	): Promise<unknown> => {
		seq += 1;
		now += 1000;
		const batch: InboundBatch = {
			identifiers: [{ type: 'telegram', value: chatId.replace('-', ''), verified: true }],
			events: [
				{
					type: 'message.in',
					channel: 'telegram',
					occurredAt: now,
					sourceKey: `telegram:bot:${seq}`,
					data: {
						channel: 'telegram',
						connectionId: 'conn-1',
						chatId,
						externalId: String(seq),
						attachments: [],
						...content,
					},
				},
			],
		};
		return db.transaction().execute((tx) => ingestBatch(tx, tenantId, batch, now, reactors));
	};
	/** A counter event on the customer's timeline, with the reactors run as the counter runs them. */
	const append = async (tenantId: string, customerId: string, event: InboundEvent) => {
		now += 1000;
		await db.transaction().execute(async (tx) => {
			const eventId = await appendEvent(tx, { ...event, tenantId, customerId, recordedAt: now });
			const stored = [{ tenantId, customerId, eventId: eventId!, event }];
			for (const reactor of reactors) await enqueueJobs(tx, tenantId, await reactor(stored, tx), now);
		});
	};
	const jobs = async (tenantId: string, kind: string) =>
		await db
			.selectFrom('outbox')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('kind', '=', kind)
			.orderBy('id')
			.execute();
	/** Runs every pending job of a kind once, as the outbox would; returns how many ran. */
	const run = async (tenantId: string, kind: string) => {
		const handler = runtime.outboxHandlers[kind]!;
		const pending = (await jobs(tenantId, kind)).filter((j) => j.status === 'pending');
		for (const job of pending) {
			await handler.deliver(handler.parse(JSON.parse(job.payload)), {
				id: job.id,
				tenantId,
				target: job.target,
				attempt: 1,
			});
			await db.updateTable('outbox').set({ status: 'done' }).where('id', '=', job.id).execute();
		}
		return pending.length;
	};
	/** The bot's messages in a chat, oldest first: text and button data. */
	const botSaid = async (tenantId: string, chatId: string) =>
		(
			await db
				.selectFrom('outbox')
				.select(['payload'])
				.where('tenant_id', '=', tenantId)
				.where('kind', '=', 'message.send')
				.orderBy('id')
				.execute()
		)
			.map(
				(row) => JSON.parse(row.payload) as { chatId: string; text: string; buttons?: { data?: string }[] },
			)
			.filter((p) => p.chatId === chatId)
			.map((p) => ({ text: p.text, buttons: (p.buttons ?? []).map((b) => b.data) }));
	const last = async (tenantId: string, chatId: string) => (await botSaid(tenantId, chatId)).at(-1);
	const chatOrder = async (tenantId: string, chatId: string) =>
		await db
			.selectFrom('chat_orders')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('chat_id', '=', chatId)
			.orderBy('created_at', 'desc')
			.executeTakeFirst();

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
		db = database.db;
		tenantA = (await makeTenant(db)).id;
		tenantB = (await makeTenant(db)).id;
		runtime = createChatOrderRuntime({ ...deps, db });
		reactors = [runtime.reactor];
		const location = async (tenantId: string, name: string, kind = 'store', active = 1) => {
			const id = newId(T0);
			await db
				.insertInto('locations')
				.values({
					id,
					tenant_id: tenantId,
					name,
					address: `${name}, 1`,
					kind,
					active,
					created_at: T0,
					updated_at: T0,
				})
				.execute();
			return id;
		};
		storeA = await location(tenantA, 'Покровка');
		await location(tenantA, 'Склад', 'warehouse');
		await location(tenantA, 'Закрытый', 'store', 0);
		storeB = await location(tenantB, 'Чужой магазин');
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('catalog → product → quantity → location → confirm → placed once: order, pickup, timeline, messages', async () => {
		await message(tenantA, '7001', { text: '/catalog' });
		expect(await jobs(tenantA, CATALOG_JOB_KIND)).toHaveLength(1);
		expect(await run(tenantA, CATALOG_JOB_KIND)).toBe(1);
		const page = await last(tenantA, '7001');
		expect(page?.text).toContain('Каталог (страница 1 из 2)');
		expect(page?.text).toContain('1. Чай 1 — 100 ₽\nhttps://tea.example/p/101');
		expect(page?.buttons).toEqual(['co:add:101', 'co:add:102', 'co:add:103', 'co:add:104', 'co:cat:2']);
		expect((await chatOrder(tenantA, '7001'))?.state).toBe('browsing');

		// A typed number before any product means nothing.
		const before = (await botSaid(tenantA, '7001')).length;
		await message(tenantA, '7001', { text: '2' });
		expect(await botSaid(tenantA, '7001')).toHaveLength(before);

		await message(tenantA, '7001', { buttonData: 'co:add:103' });
		expect((await last(tenantA, '7001'))?.buttons).toEqual(['co:qty:1', 'co:qty:2', 'co:qty:3', 'co:qty:5']);
		expect((await chatOrder(tenantA, '7001'))?.state).toBe('quantity');
		await message(tenantA, '7001', { text: '150' });
		expect((await last(tenantA, '7001'))?.text).toBe('Напишите количество числом от 1 до 99.');
		await message(tenantA, '7001', { text: '2' });
		// Only the tenant's open stores and pickup points: no warehouse, no closed store.
		expect((await last(tenantA, '7001'))?.buttons).toEqual([`co:loc:${storeA}`, 'co:more']);
		expect((await chatOrder(tenantA, '7001'))?.state).toBe('location');

		// Another tenant's location is not a choice: the question comes again.
		await message(tenantA, '7001', { buttonData: `co:loc:${storeB}` });
		expect((await last(tenantA, '7001'))?.buttons).toEqual([`co:loc:${storeA}`, 'co:more']);
		await message(tenantA, '7001', { buttonData: `co:loc:${storeA}` });
		expect((await last(tenantA, '7001'))?.text).toContain('Итого: 600 ₽');
		expect((await chatOrder(tenantA, '7001'))?.state).toBe('confirm');

		await message(tenantA, '7001', { buttonData: 'co:ok' });
		await message(tenantA, '7001', { buttonData: 'co:ok' });
		expect(await jobs(tenantA, PLACE_JOB_KIND)).toHaveLength(1);
		expect((await chatOrder(tenantA, '7001'))?.state).toBe('placing');
		// While placing, another product press is told to wait.
		await message(tenantA, '7001', { buttonData: 'co:add:101' });
		expect((await last(tenantA, '7001'))?.text).toBe('Заказ уже оформляется — сейчас пришлём его номер.');

		// The host is down once: the job fails and nothing is stored; the retry places it.
		fake.state.failOnce = true;
		const [job] = await jobs(tenantA, PLACE_JOB_KIND);
		const handler = runtime.outboxHandlers[PLACE_JOB_KIND]!;
		await expect(
			handler.deliver(handler.parse(JSON.parse(job!.payload)), {
				id: job!.id,
				tenantId: tenantA,
				target: '',
				attempt: 1,
			}),
		).rejects.toBeInstanceOf(TransientDeliveryError);
		expect((await chatOrder(tenantA, '7001'))?.state).toBe('placing');
		await run(tenantA, PLACE_JOB_KIND);

		const placed = await chatOrder(tenantA, '7001');
		expect(placed).toMatchObject({ state: 'placed', host: 'fake', number: '501' });
		const order = await db
			.selectFrom('orders')
			.selectAll()
			.where('tenant_id', '=', tenantA)
			.executeTakeFirstOrThrow();
		expect(order).toMatchObject({ id: placed!.order_id, source: 'chat', number: '501', status: 'created' });
		expect(order.external_id).toBe(`chat-order:${placed!.id}`);
		const pickup = await db
			.selectFrom('order_pickups')
			.selectAll()
			.where('tenant_id', '=', tenantA)
			.executeTakeFirstOrThrow();
		expect(pickup).toMatchObject({ order_id: order.id, location_id: storeA, state: 'to_prepare' });
		// The pickup carries what the counter hands over: the host order's items and total.
		expect(pickup).toMatchObject({ total: '600.00', currency: 'RUB' });
		expect(JSON.parse(pickup.items)).toEqual([{ sku: '103', name: 'Чай 3', quantity: 2, price: '300.00' }]);
		const created = await db
			.selectFrom('events')
			.selectAll()
			.where('tenant_id', '=', tenantA)
			.where('type', '=', 'order.created')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(created.data)).toMatchObject({
			source: 'chat',
			number: '501',
			total: '600.00',
			items: [{ sku: '103', name: 'Чай 3', quantity: 2, price: '300.00' }],
		});
		expect(created.customer_id).toBe(pickup.customer_id);
		expect((await last(tenantA, '7001'))?.text).toBe(
			'Заказ №501 принят! Соберём его в «Покровка» и напишем сюда, когда он будет готов к выдаче.',
		);
		// The host was asked with the customer and the pickup, keyed by the chat order.
		expect(fake.orders.get(`chat-order:${placed!.id}`)).toMatchObject({
			items: [{ productId: '103', quantity: 2 }],
			pickup: { locationId: storeA, name: 'Покровка', address: 'Покровка, 1' },
			channel: 'telegram',
		});

		// Ready at the counter → told in the chat; collected → thanked there.
		await append(tenantA, pickup.customer_id, {
			type: 'order.status_changed',
			channel: 'pos',
			occurredAt: now,
			sourceKey: 'pos:dev:ready-1',
			data: {
				source: 'chat',
				orderId: order.external_id,
				number: '501',
				from: 'created',
				to: 'ready_for_pickup',
				rawStatus: 'ready_for_pickup',
			},
		});
		expect(await last(tenantA, '7001')).toEqual({
			text: 'Заказ №501 готов! Забрать его можно в «Покровка» (Покровка, 1). На кассе покажите QR-код из «Моя карта» или назовите номер телефона.',
			buttons: ['card'],
		});
		await append(tenantA, pickup.customer_id, {
			type: 'pos.pickup',
			channel: 'pos',
			occurredAt: now,
			sourceKey: 'pos:dev:collect-1',
			data: { locationId: storeA, deviceId: 'dev', orderId: order.id },
		});
		expect((await last(tenantA, '7001'))?.text).toBe(
			'Спасибо, что забрали заказ №501 в «Покровка»! Будем рады видеть вас снова.',
		);
	});

	it('a product gone by the time of the order: the customer is told which, the order fails', async () => {
		await message(tenantA, '7002', { text: 'каталог' });
		await run(tenantA, CATALOG_JOB_KIND);
		await message(tenantA, '7002', { buttonData: 'co:add:101' });
		await message(tenantA, '7002', { buttonData: 'co:qty:1' });
		await message(tenantA, '7002', { buttonData: `co:loc:${storeA}` });
		await message(tenantA, '7002', { buttonData: 'co:ok' });
		fake.state.gone = ['101'];
		await run(tenantA, PLACE_JOB_KIND);
		fake.state.gone = [];
		expect((await chatOrder(tenantA, '7002'))?.state).toBe('failed');
		expect((await last(tenantA, '7002'))?.text).toBe(
			'Не получилось оформить заказ: «Чай 1» больше нет в наличии. Загляните в каталог — /catalog.',
		);
		expect(
			await db.selectFrom('orders').select('id').where('tenant_id', '=', tenantA).execute(),
		).toHaveLength(1);
	});

	describe('the host never answers (the job dies for good)', () => {
		/** The real outbox worker over the journey's handlers; the bot's sends go nowhere. */
		const worker = () =>
			new OutboxWorker({
				db,
				handlers: {
					...runtime.outboxHandlers,
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
		/** This kind's pending jobs get one attempt: the next failure parks them. */
		const lastAttempt = (kind: string) =>
			db
				.updateTable('outbox')
				.set({ max_attempts: 1 })
				.where('kind', '=', kind)
				.where('status', '=', 'pending')
				.execute();
		const notes = async (tenantId: string) =>
			(
				await db
					.selectFrom('events')
					.select(['data', 'channel', 'source_key'])
					.where('tenant_id', '=', tenantId)
					.where('type', '=', 'note')
					.execute()
			).map((row) => ({ ...row, data: JSON.parse(row.data) as { text: string; author: string } }));

		it('placing: the order fails, the customer hears the shop will come back, staff get a note; a retry places it', async () => {
			await message(tenantA, '7005', { text: '/catalog' });
			await run(tenantA, CATALOG_JOB_KIND);
			await message(tenantA, '7005', { buttonData: 'co:add:102' });
			await message(tenantA, '7005', { buttonData: 'co:qty:2' });
			await message(tenantA, '7005', { buttonData: `co:loc:${storeA}` });
			await message(tenantA, '7005', { buttonData: 'co:ok' });
			fake.state.down = true;
			await lastAttempt(PLACE_JOB_KIND);
			const w = worker();
			await w.runOnce();
			const failed = await chatOrder(tenantA, '7005');
			expect(failed?.state).toBe('failed');
			expect(failed?.error).toMatch(/^dead letter: gave up after 1 attempts: host down/);
			expect((await last(tenantA, '7005'))?.text).toBe(PLACE_DEAD_TEXT);
			const dead = (await listDeadLetters(db, tenantA, 50)).items.filter((d) => d.kind === PLACE_JOB_KIND);
			expect(dead).toHaveLength(1);
			const note = (await notes(tenantA)).find((n) => n.data.text.includes('Заказ из чата не оформлен'));
			expect(note).toMatchObject({ channel: 'nitka', data: { author: 'Nitka' } });
			expect(note?.data.text).toContain('Чай 2');
			expect(note?.data.text).toContain('Покровка');
			expect(note?.data.text).toContain('Клиенту сказали, что с ним свяжутся');
			expect(note?.data.text).toContain('host down');
			// Another tap in the chat starts afresh: the failed order is no longer "being placed".
			// Staff retry the dead letter once the host is back: the order is placed after all.
			fake.state.down = false;
			await retryDeadLetter(db, tenantA, dead[0]!.id, now);
			await w.runOnce();
			const placed = await chatOrder(tenantA, '7005');
			expect(placed?.state).toBe('placed');
			expect(placed?.error).toBeNull();
			expect((await last(tenantA, '7005'))?.text).toContain('принят');
			// The customer was told once that the shop will come back.
			expect((await botSaid(tenantA, '7005')).filter((m) => m.text === PLACE_DEAD_TEXT)).toHaveLength(1);
		});

		it('refused for good: the customer is told it failed once (not twice), staff get a note', async () => {
			await message(tenantA, '7007', { text: '/catalog' });
			await run(tenantA, CATALOG_JOB_KIND);
			await message(tenantA, '7007', { buttonData: 'co:add:101' });
			await message(tenantA, '7007', { buttonData: 'co:qty:1' });
			await message(tenantA, '7007', { buttonData: `co:loc:${storeA}` });
			await message(tenantA, '7007', { buttonData: 'co:ok' });
			fake.state.refuse = true;
			await worker().runOnce();
			fake.state.refuse = false;
			expect((await chatOrder(tenantA, '7007'))?.state).toBe('failed');
			const said = (await botSaid(tenantA, '7007')).map((m) => m.text);
			expect(said.filter((text) => text.startsWith('Не получилось оформить заказ'))).toHaveLength(1);
			expect(said).not.toContain(PLACE_DEAD_TEXT);
			expect(
				(await notes(tenantA)).filter(
					(n) => n.data.text.includes('магазин отказал') && n.data.text.includes('Чай 1'),
				),
			).toHaveLength(1);
		});

		it('the catalog: the customer hears the shop will come back, staff get a note', async () => {
			fake.state.down = true;
			await message(tenantA, '7006', { text: '/catalog' });
			await lastAttempt(CATALOG_JOB_KIND);
			await worker().runOnce();
			fake.state.down = false;
			expect((await last(tenantA, '7006'))?.text).toBe(CATALOG_DEAD_TEXT);
			const dead = (await listDeadLetters(db, tenantA, 50)).items.filter((d) => d.kind === CATALOG_JOB_KIND);
			expect(dead).toHaveLength(1);
			expect(
				(await notes(tenantA)).filter((n) => n.data.text.startsWith('Клиент просил каталог в чате')),
			).toHaveLength(1);
		});
	});

	it('cancel, stale buttons, group chats, and a tenant without a catalog', async () => {
		await message(tenantA, '7003', { buttonData: 'co:add:101' });
		expect((await last(tenantA, '7003'))?.text).toBe('Этот список уже устарел. Откройте каталог заново.');
		await message(tenantA, '7003', { text: '/catalog' });
		await run(tenantA, CATALOG_JOB_KIND);
		await message(tenantA, '7003', { buttonData: 'co:cat:2' });
		await run(tenantA, CATALOG_JOB_KIND);
		expect((await last(tenantA, '7003'))?.buttons).toEqual([
			'co:add:105',
			'co:add:106',
			'co:add:107',
			'co:cat:1',
		]);
		// A product from the first page's (older) message still works: the chat remembers it.
		await message(tenantA, '7003', { buttonData: 'co:add:102' });
		expect((await last(tenantA, '7003'))?.text).toContain('«Чай 2»');
		await message(tenantA, '7003', { buttonData: 'co:no' });
		expect((await last(tenantA, '7003'))?.text).toBe('Заказ отменён. Каталог всегда под рукой: /catalog.');
		expect((await chatOrder(tenantA, '7003'))?.state).toBe('cancelled');

		// A group chat: no ordering there.
		await message(tenantA, '-100200', { text: '/catalog' });
		expect((await jobs(tenantA, CATALOG_JOB_KIND)).filter((j) => j.target.endsWith(':-100200'))).toHaveLength(
			0,
		);

		// Tenant B has no host catalog.
		catalogFor = (tenantId) => (tenantId === tenantB ? null : fake.catalog);
		await message(tenantB, '7004', { text: '/catalog' });
		await run(tenantB, CATALOG_JOB_KIND);
		expect((await last(tenantB, '7004'))?.text).toBe(
			'Заказ в чате пока недоступен: магазин ещё не подключил каталог. Напишите нам — поможем оформить заказ.',
		);
		expect(await chatOrder(tenantB, '7004')).toBeUndefined();
	});
});
