import {
	type EventType,
	type MessagingChannel,
	MessagingChannelSchema,
	OrderItemSchema,
	type OrderStatus,
	type ReturnDto,
	type ReturnItem,
	type ReturnSettings,
	ReturnSettingsSchema,
	type ReturnState,
} from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId, toIso } from '../clock.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { issueQrToken } from '../counter/qr-tokens.ts';
import { recordConsent } from '../customers/consents.ts';
import { NotFoundError } from '../errors.ts';
import { deadLetterNote } from '../events/dead-letter-note.ts';
import { appendEvent } from '../events/event-store.ts';
import { memberIds, rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { InboundEvent } from '../ports/inbound.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import type { ReturnTicketInfo } from '../ports/returns.ts';
import type { ReturnDeps } from './deps.ts';
import {
	approvedText,
	dateRu,
	RETURN_QR_LINK_TEXT,
	receivedText,
	rejectedText,
	requestedText,
	ticketFailedText,
} from './texts.ts';

/**
 * Journey 3's state machine (docs/counter.md): `requested` (asked in a chat; the host gets a
 * ticket) → `approved` (the ticket says so, or the admin API; the customer gets a single-use
 * return QR) → `received` (the counter spent that QR: helper A's return action) — each step once,
 * guarded by the state it leaves, and each with its timeline event and the jobs that follow.
 */

export type ReturnRow = Database['returns'];

const ItemsSchema = z.array(OrderItemSchema);

export function parseItems(json: string): ReturnItem[] {
	try {
		const parsed = ItemsSchema.safeParse(JSON.parse(json));
		return parsed.success ? parsed.data : [];
	} catch {
		return [];
	}
}

/** `R-` and the id's last 8 characters: short enough to read out at a till. */
export const returnNumber = (id: string) => `R-${id.slice(-8)}`;

export async function loadSettings(db: Db, tenantId: string): Promise<ReturnSettings> {
	const row = await db
		.selectFrom('return_settings')
		.select('settings')
		.where('tenant_id', '=', tenantId)
		.executeTakeFirst();
	let raw: unknown = {};
	try {
		raw = row ? JSON.parse(row.settings) : {};
	} catch {
		raw = {};
	}
	const parsed = ReturnSettingsSchema.safeParse(raw);
	return parsed.success ? parsed.data : ReturnSettingsSchema.parse({});
}

export async function saveSettings(
	db: Db,
	tenantId: string,
	settings: ReturnSettings,
	at: number,
): Promise<ReturnSettings> {
	const json = JSON.stringify(settings);
	await db
		.insertInto('return_settings')
		.values({ tenant_id: tenantId, settings: json, updated_at: at })
		.onConflict((oc) => oc.column('tenant_id').doUpdateSet({ settings: json, updated_at: at }))
		.execute();
	return settings;
}

/**
 * Appends events to a customer's (root's) timeline as ingest would and runs the server's reactors
 * on the new ones (`skip`: the reactor calling this). Returns the jobs they asked for.
 */
export async function appendAndReact(
	tx: Db,
	reactors: readonly EventReactor[],
	tenantId: string,
	rootId: string,
	events: InboundEvent[],
	at: number,
	skip?: EventReactor,
): Promise<OutboxJobInput[]> {
	const stored: Parameters<EventReactor>[0] = [];
	for (const event of events) {
		const eventId = await appendEvent(tx, { ...event, tenantId, customerId: rootId, recordedAt: at });
		if (!eventId) continue;
		stored.push({ tenantId, customerId: rootId, eventId, event });
		if (event.type === 'consent.given' || event.type === 'consent.withdrawn') {
			await recordConsent(tx, tenantId, rootId, event.type, event.data, at);
		}
	}
	if (stored.length === 0) return [];
	const jobs: OutboxJobInput[] = [];
	for (const reactor of reactors) if (reactor !== skip) jobs.push(...(await reactor(stored, tx)));
	return jobs;
}

/** The customer's orders (every merged member's), newest first. */
export async function customerOrders(tx: Db, tenantId: string, rootId: string, limit: number) {
	const members = await memberIds(tx, tenantId, rootId);
	return await tx
		.selectFrom('orders')
		.select(['id', 'number', 'source', 'external_id', 'status', 'created_at'])
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}

/** The order's items and total from its `order.created` event, when it has one. */
async function orderContents(
	tx: Db,
	tenantId: string,
	rootId: string,
	order: { source: string; external_id: string },
): Promise<{ items: ReturnItem[]; total: string | null; currency: string | null }> {
	const members = await memberIds(tx, tenantId, rootId);
	const rows = await tx
		.selectFrom('events')
		.select('data')
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.where('type', '=', 'order.created')
		.orderBy('occurred_at', 'desc')
		.limit(200)
		.execute();
	for (const row of rows) {
		const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>;
		if (data.source !== order.source || data.orderId !== order.external_id) continue;
		const items = ItemsSchema.safeParse(data.items);
		return {
			items: items.success ? items.data : [],
			total: typeof data.total === 'string' ? data.total : null,
			currency: typeof data.currency === 'string' ? data.currency : null,
		};
	}
	return { items: [], total: null, currency: null };
}

export interface ChatRef {
	channel: MessagingChannel;
	connectionId: string;
	chatId: string;
}

/**
 * A `requested` return from a chat: the row, `return.requested` on the timeline (the host's
 * reactor makes the ticket from it) and the customer's confirmation in the same chat.
 */
export async function requestReturn(
	tx: Db,
	deps: ReturnDeps,
	input: {
		tenantId: string;
		rootId: string;
		orderId: string | null;
		reason: string;
		chat: ChatRef;
		/** The message's source key: one return per message, however often it is processed. */
		sourceKey: string;
		at: number;
	},
	skip?: EventReactor,
): Promise<{ returnId: string; jobs: OutboxJobInput[] }> {
	const { tenantId, rootId, at } = input;
	const order = input.orderId
		? await tx
				.selectFrom('orders')
				.selectAll()
				.where('tenant_id', '=', tenantId)
				.where('id', '=', input.orderId)
				.executeTakeFirst()
		: undefined;
	const contents = order ? await orderContents(tx, tenantId, rootId, order) : null;
	const id = newId(at);
	const number = returnNumber(id);
	const reason = input.reason.slice(0, 2000);
	await tx
		.insertInto('returns')
		.values({
			id,
			tenant_id: tenantId,
			customer_id: rootId,
			order_id: order?.id ?? null,
			state: 'requested',
			reason,
			items: JSON.stringify(contents?.items ?? []),
			total: contents?.total ?? null,
			currency: contents?.currency ?? null,
			host: null,
			host_ticket_id: null,
			host_ticket_url: null,
			deadline_at: null,
			created_at: at,
			updated_at: at,
			approved_at: null,
			received_at: null,
			received_location_id: null,
			number,
			channel: input.chat.channel,
			connection_id: input.chat.connectionId,
			chat_id: input.chat.chatId,
			approved_by: null,
		})
		.execute();
	const jobs = await appendAndReact(
		tx,
		deps.reactors(),
		tenantId,
		rootId,
		[
			{
				type: 'return.requested',
				channel: 'nitka',
				occurredAt: at,
				sourceKey: `return:requested:${input.sourceKey}`,
				data: {
					returnId: id,
					number,
					...(order ? { orderId: order.id, orderNumber: order.number, orderSource: order.source } : {}),
					reason,
					chatChannel: input.chat.channel,
				},
			},
		],
		at,
		skip,
	);
	jobs.push(
		...(await botMessage(tx, {
			tenantId,
			customerId: rootId,
			...input.chat,
			text: requestedText(number),
			key: `return:requested:${id}`,
			at,
		})),
	);
	return { returnId: id, jobs };
}

function chatOf(row: ReturnRow): ChatRef | null {
	const channel = MessagingChannelSchema.safeParse(row.channel);
	if (!channel.success || !row.connection_id || !row.chat_id) return null;
	return { channel: channel.data, connectionId: row.connection_id, chatId: row.chat_id };
}

/** The URL of the return QR page (`/returns/<token>`), the token being the page's only credential. */
export const returnPageUrl = (baseUrl: string, token: string) =>
	`${baseUrl.replace(/\/+$/, '')}/returns/${token}`;

/**
 * requested → approved, once: the deadline set, a single-use `return` QR token issued for the
 * customer (refId = the return), `return.approved` on the timeline, and the link in the chat the
 * return was asked in. A return in any other state is left alone ('unchanged').
 */
export async function approveReturn(
	tx: Db,
	deps: ReturnDeps,
	tenantId: string,
	returnId: string,
	by: string,
	at: number,
): Promise<{ outcome: 'approved' | 'unchanged'; jobs: OutboxJobInput[] }> {
	const row = await tx
		.selectFrom('returns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError('return not found');
	if (row.state !== 'requested') return { outcome: 'unchanged', jobs: [] };
	const settings = await loadSettings(tx, tenantId);
	const deadline = at + settings.qrDays * 86_400_000;
	const updated = await tx
		.updateTable('returns')
		.set({ state: 'approved', approved_at: at, approved_by: by, deadline_at: deadline, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.where('state', '=', 'requested')
		.executeTakeFirst();
	if (Number(updated.numUpdatedRows) === 0) return { outcome: 'unchanged', jobs: [] };
	const rootId = await rootOf(tx, tenantId, row.customer_id);
	const number = row.number ?? returnNumber(row.id);
	const order = row.order_id
		? await tx
				.selectFrom('orders')
				.select('source')
				.where('tenant_id', '=', tenantId)
				.where('id', '=', row.order_id)
				.executeTakeFirst()
		: undefined;
	const jobs = await appendAndReact(
		tx,
		deps.reactors(),
		tenantId,
		rootId,
		[
			{
				type: 'return.approved',
				channel: 'nitka',
				occurredAt: at,
				sourceKey: `return:approved:${returnId}`,
				data: {
					returnId,
					number,
					by,
					deadlineAt: toIso(deadline),
					...(order ? { orderSource: order.source } : {}),
				},
			},
		],
		at,
	);
	const chat = chatOf(row);
	const baseUrl = deps.baseUrl();
	if (chat && baseUrl) {
		const { token } = issueQrToken(
			deps.keys,
			{ tenantId, customerId: rootId, kind: 'return', refId: returnId, ttlSeconds: settings.qrDays * 86_400 },
			at,
		);
		const url = returnPageUrl(baseUrl, token);
		jobs.push(
			...(await botMessage(tx, {
				tenantId,
				customerId: rootId,
				...chat,
				text: approvedText(number, url, dateRu(deadline)),
				buttons: [{ text: RETURN_QR_LINK_TEXT, url }],
				key: `return:approved:${returnId}`,
				at,
			})),
		);
	}
	return { outcome: 'approved', jobs };
}

/**
 * requested or approved → rejected, once: `return.rejected` on the timeline and the customer told
 * in the return's chat. An approved return's QR stops working (the counter wants `approved`).
 */
export async function rejectReturn(
	tx: Db,
	deps: ReturnDeps,
	tenantId: string,
	returnId: string,
	by: string,
	at: number,
): Promise<{ outcome: 'rejected' | 'unchanged'; jobs: OutboxJobInput[] }> {
	const row = await tx
		.selectFrom('returns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError('return not found');
	if (row.state !== 'requested' && row.state !== 'approved') return { outcome: 'unchanged', jobs: [] };
	const updated = await tx
		.updateTable('returns')
		.set({ state: 'rejected', approved_by: by, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.where('state', 'in', ['requested', 'approved'])
		.executeTakeFirst();
	if (Number(updated.numUpdatedRows) === 0) return { outcome: 'unchanged', jobs: [] };
	const rootId = await rootOf(tx, tenantId, row.customer_id);
	const number = row.number ?? returnNumber(row.id);
	const order = row.order_id
		? await tx
				.selectFrom('orders')
				.select('source')
				.where('tenant_id', '=', tenantId)
				.where('id', '=', row.order_id)
				.executeTakeFirst()
		: undefined;
	const jobs = await appendAndReact(
		tx,
		deps.reactors(),
		tenantId,
		rootId,
		[
			{
				type: 'return.rejected',
				channel: 'nitka',
				occurredAt: at,
				sourceKey: `return:rejected:${returnId}`,
				data: { returnId, number, by, ...(order ? { orderSource: order.source } : {}) },
			},
		],
		at,
	);
	const chat = chatOf(row);
	if (chat) {
		jobs.push(
			...(await botMessage(tx, {
				tenantId,
				customerId: rootId,
				...chat,
				text: rejectedText(number),
				key: `return:rejected:${returnId}`,
				at,
			})),
		);
	}
	return { outcome: 'rejected', jobs };
}

/**
 * A host's ticket job for this return died for good (its outbox dead letter stays listed): staff
 * get a note on the customer's timeline naming the return and the error, and a customer whose
 * return still waits (`requested`) is told once, in the return's chat, that the shop will come
 * back to them. Runs in the transaction that parks the job; returns the jobs to enqueue.
 */
export async function ticketFailed(
	tx: Db,
	deps: ReturnDeps,
	tenantId: string,
	returnId: string,
	job: { id: string; attempts: number; error: string; host: string },
	at: number,
): Promise<OutboxJobInput[]> {
	const row = await tx
		.selectFrom('returns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.executeTakeFirst();
	if (!row) return [];
	const rootId = await rootOf(tx, tenantId, row.customer_id);
	const number = row.number ?? returnNumber(row.id);
	const chat = row.state === 'requested' ? chatOf(row) : null;
	const jobs = chat
		? await botMessage(tx, {
				tenantId,
				customerId: rootId,
				...chat,
				text: ticketFailedText(number),
				key: `return:ticket-failed:${returnId}`,
				at,
			})
		: [];
	const told = jobs.length > 0 ? ' Клиенту сказали, что с ним свяжутся.' : '';
	jobs.push(
		...(await appendAndReact(
			tx,
			deps.reactors(),
			tenantId,
			rootId,
			[deadLetterNote(job, `Возврат ${number}: заявка не передана в ${job.host}.${told}`, at)],
			at,
		)),
	);
	return jobs;
}

/**
 * The counter received an approved return (its `pos.return` with source key `pos:return:<id>`):
 * the order becomes `returned` (an `order.status_changed` the hosts follow) and the customer is
 * told in the return's chat.
 */
export async function onReturnReceived(
	tx: Db,
	deps: ReturnDeps,
	tenantId: string,
	returnId: string,
	at: number,
	skip?: EventReactor,
): Promise<OutboxJobInput[]> {
	const row = await tx
		.selectFrom('returns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.executeTakeFirst();
	if (row?.state !== 'received') return [];
	const rootId = await rootOf(tx, tenantId, row.customer_id);
	const jobs: OutboxJobInput[] = [];
	if (row.order_id) {
		const event = await orderReturnedEvent(
			tx,
			tenantId,
			row.order_id,
			`return:received:${returnId}:order`,
			at,
		);
		if (event) jobs.push(...(await appendAndReact(tx, deps.reactors(), tenantId, rootId, [event], at, skip)));
	}
	const chat = chatOf(row);
	if (chat) {
		const location = row.received_location_id
			? await tx
					.selectFrom('locations')
					.select('name')
					.where('tenant_id', '=', tenantId)
					.where('id', '=', row.received_location_id)
					.executeTakeFirst()
			: undefined;
		jobs.push(
			...(await botMessage(tx, {
				tenantId,
				customerId: rootId,
				...chat,
				text: receivedText(
					row.number ?? returnNumber(row.id),
					location?.name ?? null,
					row.total,
					row.currency,
				),
				key: `return:received:${returnId}`,
				at,
			})),
		);
	}
	return jobs;
}

async function orderReturnedEvent(
	tx: Db,
	tenantId: string,
	orderId: string,
	key: string,
	at: number,
): Promise<InboundEvent | null> {
	const to: OrderStatus = 'returned';
	const order = await tx
		.selectFrom('orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', orderId)
		.executeTakeFirst();
	if (!order || order.status === to) return null;
	await tx
		.updateTable('orders')
		.set({ status: to, raw_status: 'returned', status_at: at, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', orderId)
		.execute();
	return {
		type: 'order.status_changed' satisfies EventType,
		channel: 'nitka',
		occurredAt: at,
		sourceKey: key,
		data: {
			source: order.source as never,
			orderId: order.external_id,
			number: order.number,
			from: order.status as OrderStatus,
			to,
			rawStatus: 'returned',
		},
	};
}

export function toDto(row: ReturnRow): ReturnDto {
	const iso = (value: number | null) => (value === null ? null : toIso(Number(value)));
	return {
		id: row.id,
		number: row.number ?? returnNumber(row.id),
		customerId: row.customer_id,
		orderId: row.order_id,
		state: row.state as ReturnState,
		reason: row.reason,
		items: parseItems(row.items),
		total: row.total,
		currency: row.currency,
		host: row.host,
		hostTicketId: row.host_ticket_id,
		hostTicketUrl: row.host_ticket_url,
		createdAt: toIso(Number(row.created_at)),
		approvedAt: iso(row.approved_at),
		deadlineAt: iso(row.deadline_at),
		receivedAt: iso(row.received_at),
	};
}

export async function getReturn(db: Db, tenantId: string, returnId: string): Promise<ReturnRow> {
	const row = await db
		.selectFrom('returns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', returnId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError('return not found');
	return row;
}

export async function listReturns(
	db: Db,
	tenantId: string,
	state: ReturnState | undefined,
	limit: number,
): Promise<ReturnRow[]> {
	return await db
		.selectFrom('returns')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.$if(state !== undefined, (q) => q.where('state', '=', state!))
		.orderBy('created_at', 'desc')
		.limit(limit)
		.execute();
}

/** The return as a host ticket shows it. */
export async function ticketInfo(db: Db, tenantId: string, row: ReturnRow): Promise<ReturnTicketInfo> {
	const order = row.order_id
		? await db
				.selectFrom('orders')
				.select(['id', 'source', 'external_id', 'number'])
				.where('tenant_id', '=', tenantId)
				.where('id', '=', row.order_id)
				.executeTakeFirst()
		: undefined;
	const location =
		row.received_location_id !== null
			? await db
					.selectFrom('locations')
					.select('name')
					.where('tenant_id', '=', tenantId)
					.where('id', '=', row.received_location_id)
					.executeTakeFirst()
			: undefined;
	return {
		returnId: row.id,
		number: row.number ?? returnNumber(row.id),
		customerId: await rootOf(db, tenantId, row.customer_id),
		state: row.state as ReturnState,
		reason: row.reason ?? '',
		items: parseItems(row.items),
		total: row.total,
		currency: row.currency,
		order: order
			? { id: order.id, source: order.source, externalId: order.external_id, number: order.number }
			: null,
		ticket:
			row.host && row.host_ticket_id
				? { host: row.host, id: row.host_ticket_id, url: row.host_ticket_url }
				: null,
		receivedAt:
			row.received_at !== null ? { location: location?.name ?? null, at: Number(row.received_at) } : null,
		settings: await loadSettings(db, tenantId),
	};
}
