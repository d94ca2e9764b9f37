import { type EventData, type MessagingChannel, MessagingChannelSchema } from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { MY_CARD_BUTTON } from '../card/card-reactor.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../clock.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { deadLetterNote } from '../events/dead-letter-note.ts';
import { appendEvent } from '../events/event-store.ts';
import { memberIds, rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { OutboundButton } from '../ports/channel-client.ts';
import { type HostCatalogs, type HostOrder, HostOrderRefusedError } from '../ports/host-catalog.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import { type OutboxHandler, type OutboxJobInput, PermanentDeliveryError } from '../ports/outbound.ts';
import {
	addToCart,
	type ChatOrder,
	type ChatOrderState,
	type ChatRef,
	chatOrderById,
	chatOrderOfOrder,
	DEAD_LETTER_ERROR,
	DRAFT_STATES,
	moveChatOrder,
	openChatOrder,
	ProductIdSchema,
	pickupLocation,
	pickupLocations,
	rememberShown,
} from './chat-orders.ts';
import {
	acceptedText,
	BUSY_TEXT,
	CANCELLED_TEXT,
	CATALOG_DEAD_TEXT,
	CATALOG_FAILED_TEXT,
	cartLines,
	cartTotal,
	catalogText,
	confirmText,
	EXPIRED_TEXT,
	isCatalogText,
	locationText,
	MAX_LOCATION_BUTTONS,
	NO_CATALOG_TEXT,
	NO_LOCATIONS_TEXT,
	ORDER_BUTTON,
	PER_PAGE,
	PLACE_DEAD_TEXT,
	PLACING_TEXT,
	QUANTITY_CHOICES,
	QUANTITY_RETRY_TEXT,
	quantityText,
	readyText,
	refusedText,
	type ShownProduct,
	thanksText,
} from './texts.ts';

export const CATALOG_JOB_KIND = 'chat-order.catalog';
export const PLACE_JOB_KIND = 'chat-order.place';

export interface ChatOrderDeps {
	clock: Clock;
	/** The host catalog of a tenant (Bitrix24, WooCommerce), or null when it has none. */
	catalogs: HostCatalogs;
	/** The server's reactors (this journey's among them), read when needed: they are composed after it. */
	reactors: () => readonly EventReactor[];
	/** Something was enqueued outside a reactor: wake the outbox. */
	committed: () => void;
	/** Whether a chat is one person's; orders are taken in private chats only. */
	privateChat?: (channel: MessagingChannel, chatId: string) => boolean;
}

type Stored = Parameters<EventReactor>[0][number];

/** What a message asks of the conversation. */
type Intent =
	| { kind: 'catalog'; page: number }
	| { kind: 'product'; productId: string }
	| { kind: 'quantity'; quantity: number; typed: boolean }
	| { kind: 'location'; locationId: string }
	| { kind: 'confirm' }
	| { kind: 'cancel' };

const LocationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

export function orderIntent(
	data: Pick<EventData<'message.in'>, 'text' | 'buttonData' | 'editOf'>,
): Intent | null {
	if (data.editOf) return null;
	const button = data.buttonData;
	if (button !== undefined) {
		if (!button.startsWith('co:')) return null;
		const [, action, arg = ''] = button.split(':');
		if (action === 'cat') {
			const page = Number(arg);
			return Number.isInteger(page) && page >= 1 && page <= 1000 ? { kind: 'catalog', page } : null;
		}
		if (action === 'more') return { kind: 'catalog', page: 1 };
		if (action === 'add')
			return ProductIdSchema.safeParse(arg).success ? { kind: 'product', productId: arg } : null;
		if (action === 'qty') {
			const quantity = Number(arg);
			return Number.isInteger(quantity) && quantity >= 1 && quantity <= 99
				? { kind: 'quantity', quantity, typed: false }
				: null;
		}
		if (action === 'loc')
			return LocationIdSchema.safeParse(arg).success ? { kind: 'location', locationId: arg } : null;
		if (action === 'ok') return { kind: 'confirm' };
		if (action === 'no') return { kind: 'cancel' };
		return null;
	}
	if (isCatalogText(data.text)) return { kind: 'catalog', page: 1 };
	const typed = data.text?.trim().match(/^(\d{1,3})(?:\s*(?:шт\.?|штук[и]?|pcs))?$/iu);
	if (typed) return { kind: 'quantity', quantity: Number(typed[1]), typed: true };
	return null;
}

const CatalogJobSchema = z.object({
	customerId: z.string().min(1).max(100),
	channel: MessagingChannelSchema,
	connectionId: z.string().min(1).max(100),
	chatId: z.string().min(1).max(200),
	page: z.number().int().min(1).max(1000),
	/** The bot message's key (once per asking message). */
	key: z.string().min(1).max(400),
});
type CatalogJob = z.infer<typeof CatalogJobSchema>;

const PlaceJobSchema = z.object({ chatOrderId: z.string().min(1).max(100) });
type PlaceJob = z.infer<typeof PlaceJobSchema>;

/**
 * Journey 1's ordering conversation and its follow-ups, in the ingest transaction of the events
 * that cause them:
 *
 * - a message in a private chat: `/catalog`, «каталог», the Каталог button → a `chat-order.catalog`
 *   job (the host is asked in the outbox); a product's button → its quantity; a quantity → the
 *   pickup location (the tenant's open stores and pickup points); a location → the summary;
 *   «Подтвердить» → a `chat-order.place` job, which creates the order in the host.
 * - the counter marks a chat order ready (`order.status_changed` → `ready_for_pickup`): the
 *   customer is told in the chat the order came from, with the store's address.
 * - the customer collects it (`pos.pickup`): a thank-you in that chat. The host order follows the
 *   `order.status_changed` events through the host's own reactor (Bitrix24: the deal's stage).
 */
export function createChatOrderReactor(deps: ChatOrderDeps): EventReactor {
	return async (stored, tx) => {
		const jobs: OutboxJobInput[] = [];
		for (const s of stored) {
			if (s.event.type === 'message.in') jobs.push(...(await onMessage(tx, deps, s)));
			else if (s.event.type === 'order.status_changed') jobs.push(...(await onStatus(tx, deps, s)));
			else if (s.event.type === 'pos.pickup') jobs.push(...(await onPickup(tx, deps, s)));
		}
		return jobs;
	};
}

async function onMessage(tx: Db, deps: ChatOrderDeps, { tenantId, customerId, event }: Stored) {
	const channel = MessagingChannelSchema.safeParse(event.channel);
	const data = event.data as EventData<'message.in'>;
	if (!channel.success || !data.connectionId || !data.chatId) return [];
	const intent = orderIntent(data);
	if (!intent) return [];
	if (deps.privateChat && !deps.privateChat(channel.data, data.chatId)) return [];
	const chat: ChatRef = {
		tenantId,
		channel: channel.data,
		connectionId: data.connectionId,
		chatId: data.chatId,
	};
	const open = await openChatOrder(tx, chat);
	// A typed number means something only while the chat is asked for a quantity.
	if (intent.kind === 'quantity' && intent.typed && open?.state !== 'quantity') return [];
	const at = deps.clock.now();
	const rootId = await rootOf(tx, tenantId, customerId);
	const say = (text: string, action: string, buttons?: OutboundButton[]) =>
		botMessage(tx, {
			customerId: rootId,
			...chat,
			text,
			...(buttons ? { buttons } : {}),
			key: `co:${action}:${event.sourceKey}`,
			at,
		});

	if (intent.kind === 'catalog') {
		const payload: CatalogJob = {
			customerId: rootId,
			...chat,
			page: intent.page,
			key: `co:cat:${event.sourceKey}`,
		};
		return [
			{
				kind: CATALOG_JOB_KIND,
				target: `chat-order:${chat.channel}:${chat.connectionId}:${chat.chatId}`,
				dedupeKey: `chat-order:catalog:${event.sourceKey}`,
				payload,
			},
		];
	}
	// A second tap on «Подтвердить» while the order is being placed is the same order: silence.
	if (open?.state === 'placing') return intent.kind === 'confirm' ? [] : await say(BUSY_TEXT, 'busy');
	if (intent.kind === 'cancel') {
		if (!open) return [];
		await moveChatOrder(tx, open, DRAFT_STATES, 'cancelled', {}, at);
		return await say(CANCELLED_TEXT, 'cancel');
	}
	if (!open) return await say(EXPIRED_TEXT, 'expired', [catalogButton()]);

	if (intent.kind === 'product') {
		const product = open.shown.find((p) => p.id === intent.productId);
		if (!product) return await say(EXPIRED_TEXT, 'expired', [catalogButton()]);
		await moveChatOrder(tx, open, DRAFT_STATES, 'quantity', { pending: product }, at);
		return await say(
			quantityText(product),
			'qty',
			QUANTITY_CHOICES.map((n) => ({ text: String(n), data: ORDER_BUTTON.quantity(n) })),
		);
	}
	if (intent.kind === 'quantity') {
		if (open.state !== 'quantity' || !open.pending)
			return await say(EXPIRED_TEXT, 'expired', [catalogButton()]);
		if (intent.quantity < 1 || intent.quantity > 99) return await say(QUANTITY_RETRY_TEXT, 'qty-retry');
		const items = addToCart(open.items, open.pending, intent.quantity);
		await moveChatOrder(tx, open, ['quantity'], 'location', { pending: null, items }, at);
		return await askLocation(tx, tenantId, items, say);
	}
	if (intent.kind === 'location') {
		if (open.items.length === 0) return await say(EXPIRED_TEXT, 'expired', [catalogButton()]);
		const location = await pickupLocation(tx, tenantId, intent.locationId);
		if (!location) return await askLocation(tx, tenantId, open.items, say);
		await moveChatOrder(tx, open, DRAFT_STATES, 'confirm', { locationId: location.id }, at);
		return await say(confirmText(open.items, location), 'confirm', [
			{ text: 'Подтвердить', data: ORDER_BUTTON.confirm },
			{ text: 'Отменить', data: ORDER_BUTTON.cancel },
		]);
	}
	// confirm
	if (open.state !== 'confirm' || open.items.length === 0 || !open.locationId) {
		return await say(EXPIRED_TEXT, 'expired', [catalogButton()]);
	}
	if (!(await moveChatOrder(tx, open, ['confirm'], 'placing', {}, at))) return [];
	const payload: PlaceJob = { chatOrderId: open.id };
	return [
		...(await say(PLACING_TEXT, 'placing')),
		{
			kind: PLACE_JOB_KIND,
			target: `chat-order:${open.id}`,
			dedupeKey: `chat-order:place:${open.id}`,
			payload,
		},
	];
}

const catalogButton = (): OutboundButton => ({ text: 'Каталог', data: ORDER_BUTTON.catalog(1) });

async function askLocation(
	tx: Db,
	tenantId: string,
	items: ChatOrder['items'],
	say: (text: string, action: string, buttons?: OutboundButton[]) => Promise<OutboxJobInput[]>,
) {
	const locations = await pickupLocations(tx, tenantId);
	if (locations.length === 0) return await say(NO_LOCATIONS_TEXT, 'no-location');
	return await say(locationText(items), 'location', [
		...locations
			.slice(0, MAX_LOCATION_BUTTONS)
			.map((l) => ({ text: l.name, data: ORDER_BUTTON.location(l.id) })),
		{ text: 'Ещё товар', data: ORDER_BUTTON.more },
	]);
}

/** The Nitka order (orders row) an `order.status_changed` speaks of. */
async function orderRow(tx: Db, tenantId: string, source: string, externalId: string) {
	return await tx
		.selectFrom('orders')
		.select(['id', 'number'])
		.where('tenant_id', '=', tenantId)
		.where('source', '=', source)
		.where('external_id', '=', externalId)
		.executeTakeFirst();
}

async function onStatus(tx: Db, deps: ChatOrderDeps, { tenantId, event }: Stored) {
	const data = event.data as EventData<'order.status_changed'>;
	if (data.to !== 'ready_for_pickup') return [];
	const order = await orderRow(tx, tenantId, data.source, data.orderId);
	if (!order) return [];
	const chatOrder = await chatOrderOfOrder(tx, tenantId, order.id);
	if (!chatOrder) return [];
	const location = chatOrder.locationId ? await pickupLocation(tx, tenantId, chatOrder.locationId) : null;
	return await botMessage(tx, {
		tenantId,
		customerId: await rootOf(tx, tenantId, chatOrder.customerId),
		channel: chatOrder.channel,
		connectionId: chatOrder.connectionId,
		chatId: chatOrder.chatId,
		text: readyText(chatOrder.number ?? order.number, location),
		buttons: [MY_CARD_BUTTON],
		key: `co:ready:${chatOrder.id}`,
		at: deps.clock.now(),
	});
}

async function onPickup(tx: Db, deps: ChatOrderDeps, { tenantId, event }: Stored) {
	const data = event.data as EventData<'pos.pickup'>;
	const chatOrder = await chatOrderOfOrder(tx, tenantId, data.orderId);
	if (!chatOrder) return [];
	const location = await tx
		.selectFrom('locations')
		.select('name')
		.where('tenant_id', '=', tenantId)
		.where('id', '=', data.locationId)
		.executeTakeFirst();
	return await botMessage(tx, {
		tenantId,
		customerId: await rootOf(tx, tenantId, chatOrder.customerId),
		channel: chatOrder.channel,
		connectionId: chatOrder.connectionId,
		chatId: chatOrder.chatId,
		text: thanksText(chatOrder.number ?? '', location?.name ?? null),
		key: `co:thanks:${chatOrder.id}`,
		at: deps.clock.now(),
	});
}

/** Appends events to the root's timeline and runs the server's reactors on them, as ingest does. */
async function appendAndReact(
	tx: Db,
	deps: ChatOrderDeps,
	tenantId: string,
	rootId: string,
	events: InboundEvent[],
	at: number,
): Promise<OutboxJobInput[]> {
	const stored: Parameters<EventReactor>[0] = [];
	for (const event of events) {
		const eventId = await appendEvent(tx, { ...event, tenantId, customerId: rootId, recordedAt: at });
		if (eventId) stored.push({ tenantId, customerId: rootId, eventId, event });
	}
	const jobs: OutboxJobInput[] = [];
	if (stored.length > 0) for (const reactor of deps.reactors()) jobs.push(...(await reactor(stored, tx)));
	return jobs;
}

/** Shows one catalog page from the host: the products with their links and a button each. */
export function createCatalogHandler(deps: ChatOrderDeps & { db: Db }): OutboxHandler<CatalogJob> {
	return {
		parse: (payload) => CatalogJobSchema.parse(payload),
		limits: (_payload, job) => [{ key: `chat-orders:tenant:${job.tenantId}`, capacity: 10, perSecond: 2 }],
		async deliver(payload, job) {
			const tenantId = job.tenantId;
			const chat: ChatRef = {
				tenantId,
				channel: payload.channel,
				connectionId: payload.connectionId,
				chatId: payload.chatId,
			};
			const reply = async (text: string, buttons: OutboundButton[] | undefined, shown?: ShownProduct[]) => {
				await deps.db.transaction().execute(async (tx) => {
					const at = deps.clock.now();
					if (shown) await rememberShown(tx, { ...chat, customerId: payload.customerId }, shown, at);
					const jobs = await botMessage(tx, {
						customerId: payload.customerId,
						...chat,
						text,
						...(buttons ? { buttons } : {}),
						key: payload.key,
						at,
					});
					await enqueueJobs(tx, tenantId, jobs, at);
				});
				deps.committed();
			};
			const catalog = await deps.catalogs(tenantId);
			if (!catalog) return await reply(NO_CATALOG_TEXT, undefined);
			let page: Awaited<ReturnType<typeof catalog.listProducts>>;
			try {
				page = await catalog.listProducts(tenantId, { page: payload.page, perPage: PER_PAGE });
			} catch (error) {
				if (error instanceof PermanentDeliveryError) {
					await reply(CATALOG_FAILED_TEXT, undefined);
					return;
				}
				throw error;
			}
			const shown: ShownProduct[] = page.products
				.filter((p) => ProductIdSchema.safeParse(p.id).success)
				.slice(0, PER_PAGE)
				.map((p) => ({
					id: p.id,
					name: p.name.slice(0, 500),
					price: p.price,
					currency: p.currency,
					url: p.url,
				}));
			const buttons: OutboundButton[] = shown.map((p, i) => ({
				text: String(i + 1),
				data: ORDER_BUTTON.product(p.id),
			}));
			// One paging button (VK's 5 a row): the next page, or back to the first from the last.
			if (page.page < page.totalPages)
				buttons.push({ text: 'Ещё ›', data: ORDER_BUTTON.catalog(page.page + 1) });
			else if (page.page > 1) buttons.push({ text: '« В начало', data: ORDER_BUTTON.catalog(1) });
			await reply(
				catalogText(shown, page.page, page.totalPages),
				buttons.length > 0 ? buttons : undefined,
				shown,
			);
		},
		/** The host never answered: the customer hears the shop will come back, staff get a note. */
		async onDead(payload, job, tx) {
			const at = deps.clock.now();
			const rootId = await rootOf(tx, job.tenantId, payload.customerId);
			const jobs = await botMessage(tx, {
				tenantId: job.tenantId,
				customerId: rootId,
				channel: payload.channel,
				connectionId: payload.connectionId,
				chatId: payload.chatId,
				text: CATALOG_DEAD_TEXT,
				key: `${payload.key}:dead`,
				at,
			});
			jobs.push(
				...(await appendAndReact(
					tx,
					deps,
					job.tenantId,
					rootId,
					[
						deadLetterNote(
							job,
							'Клиент просил каталог в чате, но магазин не ответил. Клиенту сказали, что с ним свяжутся.',
							at,
						),
					],
					at,
				)),
			);
			return jobs;
		},
	};
}

/** The customer's name, phone and email as the host order's contact gets them. */
async function contactOf(tx: Db, tenantId: string, rootId: string) {
	const customer = await tx
		.selectFrom('customers')
		.select('name')
		.where('tenant_id', '=', tenantId)
		.where('id', '=', rootId)
		.executeTakeFirst();
	const members = await memberIds(tx, tenantId, rootId);
	const identities = await tx
		.selectFrom('identities')
		.select(['type', 'value'])
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.where('type', 'in', ['phone', 'email'])
		.orderBy('created_at')
		.execute();
	return {
		customerId: rootId,
		name: customer?.name ?? null,
		phone: identities.find((i) => i.type === 'phone')?.value ?? null,
		email: identities.find((i) => i.type === 'email')?.value ?? null,
	};
}

/**
 * Creates the confirmed order in the host (once per chat order: the host's idempotency key), then
 * in one transaction: Nitka's order (`order.created` on the timeline, the server's reactors run),
 * the pickup to prepare at the chosen location, and "order N accepted" in the chat. A refusal
 * (a product gone) is told to the customer and the chat order is `failed`.
 */
export function createPlaceHandler(deps: ChatOrderDeps & { db: Db }): OutboxHandler<PlaceJob> {
	return {
		parse: (payload) => PlaceJobSchema.parse(payload),
		limits: (_payload, job) => [{ key: `chat-orders:tenant:${job.tenantId}`, capacity: 10, perSecond: 2 }],
		async deliver(payload, job) {
			const tenantId = job.tenantId;
			const chatOrder = await chatOrderById(deps.db, tenantId, payload.chatOrderId);
			// A dead letter staff retried may still place the order it gave up on.
			const retried = chatOrder?.state === 'failed' && !!chatOrder.error?.startsWith(DEAD_LETTER_ERROR);
			if (!chatOrder || (chatOrder.state !== 'placing' && !retried) || !chatOrder.locationId) return;
			const from: ChatOrderState[] = retried ? ['failed'] : ['placing'];
			const location = await pickupLocation(deps.db, tenantId, chatOrder.locationId);
			const rootId = await rootOf(deps.db, tenantId, chatOrder.customerId);
			const catalog = await deps.catalogs(tenantId);
			const fail = async (text: string, error: string) => {
				await deps.db.transaction().execute(async (tx) => {
					const at = deps.clock.now();
					if (!(await moveChatOrder(tx, chatOrder, from, 'failed', { error: error.slice(0, 1000) }, at))) {
						return;
					}
					const jobs = await botMessage(tx, {
						tenantId,
						customerId: rootId,
						channel: chatOrder.channel,
						connectionId: chatOrder.connectionId,
						chatId: chatOrder.chatId,
						text,
						key: `co:failed:${chatOrder.id}`,
						at,
					});
					await enqueueJobs(tx, tenantId, jobs, at);
				});
				deps.committed();
			};
			if (!catalog || !location) {
				await fail(refusedText([]), catalog ? 'the pickup location was closed' : 'no host catalog');
				return;
			}
			let order: HostOrder;
			try {
				order = await catalog.createOrder(tenantId, {
					idempotencyKey: `chat-order:${chatOrder.id}`,
					customer: await contactOf(deps.db, tenantId, rootId),
					items: chatOrder.items.map((item) => ({ productId: item.id, quantity: item.quantity })),
					pickup: { locationId: location.id, name: location.name, address: location.address },
					channel: chatOrder.channel,
				});
			} catch (error) {
				if (error instanceof HostOrderRefusedError) {
					const names = chatOrder.items
						.filter((i) => error.productIds.includes(i.id))
						.map((i) => `«${i.name}»`);
					await fail(refusedText(names), error.message);
					return;
				}
				if (error instanceof PermanentDeliveryError) {
					await fail(refusedText([]), error.message);
				}
				throw error;
			}
			await deps.db.transaction().execute(async (tx) => {
				const at = deps.clock.now();
				const existing = await orderRow(tx, tenantId, order.source, order.orderId);
				const orderId = existing?.id ?? newId(at);
				const changes = { host: catalog.host, number: order.number, orderId, placedAt: at };
				if (!(await moveChatOrder(tx, chatOrder, from, 'placed', { ...changes, error: null }, at))) return;
				if (!existing) {
					await tx
						.insertInto('orders')
						.values({
							id: orderId,
							tenant_id: tenantId,
							source: order.source,
							external_id: order.orderId,
							connection_id: null,
							number: order.number,
							status: order.status,
							raw_status: order.rawStatus,
							status_at: at,
							customer_id: rootId,
							buyer_known: 1,
							created_at: at,
							updated_at: at,
						})
						.execute();
				}
				const { total, currency } = cartTotal(chatOrder.items);
				// The host's items and total (what it will charge), else the cart's: staff hand these over.
				const items = order.items.map((item) => ({
					sku: item.productId,
					name: item.name,
					quantity: item.quantity,
					price: item.price,
				}));
				await tx
					.insertInto('order_pickups')
					.values({
						tenant_id: tenantId,
						order_id: orderId,
						location_id: location.id,
						customer_id: rootId,
						state: 'to_prepare',
						created_at: at,
						updated_at: at,
						ready_at: null,
						collected_at: null,
						cancelled_at: null,
						collected_device_id: null,
						items: JSON.stringify(
							items.length > 0
								? items
								: chatOrder.items.map((item) => ({
										sku: item.id,
										name: item.name,
										quantity: item.quantity,
										price: item.price,
									})),
						),
						total: order.total || total,
						currency: order.currency || currency,
					})
					.onConflict((oc) => oc.columns(['tenant_id', 'order_id']).doNothing())
					.execute();
				const jobs = await appendAndReact(
					tx,
					deps,
					tenantId,
					rootId,
					[
						{
							type: 'order.created',
							channel: chatOrder.channel,
							occurredAt: at,
							sourceKey: order.createdSourceKey ?? `${order.source}:${order.orderId}:created`,
							data: {
								source: order.source,
								orderId: order.orderId,
								number: order.number,
								status: order.status,
								rawStatus: order.rawStatus,
								total: order.total || total,
								currency: order.currency || currency,
								items,
							},
						},
					],
					at,
				);
				jobs.push(
					...(await botMessage(tx, {
						tenantId,
						customerId: rootId,
						channel: chatOrder.channel,
						connectionId: chatOrder.connectionId,
						chatId: chatOrder.chatId,
						text: acceptedText(order.number, location),
						key: `co:accepted:${chatOrder.id}`,
						at,
					})),
				);
				await enqueueJobs(tx, tenantId, jobs, at);
			});
			deps.committed();
		},
		/**
		 * The host never answered (or failed for good) while placing: the chat order is `failed`
		 * (a retried dead letter may still place it), the customer hears the shop will come back
		 * to them unless a refusal was told already, and staff get a note naming the cart.
		 */
		async onDead(payload, job, tx) {
			const chatOrder = await chatOrderById(tx, job.tenantId, payload.chatOrderId);
			if (!chatOrder) return [];
			const at = deps.clock.now();
			const rootId = await rootOf(tx, job.tenantId, chatOrder.customerId);
			const error = `${DEAD_LETTER_ERROR}${job.error}`.slice(0, 1000);
			const moved = await moveChatOrder(tx, chatOrder, ['placing'], 'failed', { error }, at);
			const jobs = moved
				? await botMessage(tx, {
						tenantId: job.tenantId,
						customerId: rootId,
						channel: chatOrder.channel,
						connectionId: chatOrder.connectionId,
						chatId: chatOrder.chatId,
						text: PLACE_DEAD_TEXT,
						key: `co:failed:${chatOrder.id}`,
						at,
					})
				: [];
			const location = chatOrder.locationId
				? await pickupLocation(tx, job.tenantId, chatOrder.locationId)
				: null;
			const what = [
				moved
					? 'Заказ из чата не оформлен: магазин не ответил. Клиенту сказали, что с ним свяжутся.'
					: 'Заказ из чата не оформлен: магазин отказал. Клиенту сообщили, что заказ не оформлен.',
				cartLines(chatOrder.items),
				location ? `Самовывоз: ${location.name}` : '',
			]
				.filter(Boolean)
				.join('\n');
			jobs.push(
				...(await appendAndReact(tx, deps, job.tenantId, rootId, [deadLetterNote(job, what, at)], at)),
			);
			return jobs;
		},
	};
}
