import type { Conversation, ConversationStatus, MessagingChannel } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { newId, toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { memberIds, rootOf } from '../identity/identity-graph.ts';

/**
 * The conversation of a customer's root, created on first contact. Conversations of customers
 * merged into the root since are folded into it (the oldest one survives), so there is always one.
 */
export async function ensureConversation(tx: Db, tenantId: string, customerId: string, at: number) {
	const root = await rootOf(tx, tenantId, customerId);
	const members = await memberIds(tx, tenantId, root);
	const rows = await tx
		.selectFrom('conversations')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	const [keep, ...fold] = rows;
	if (!keep) {
		const row = {
			id: newId(at),
			tenant_id: tenantId,
			customer_id: root,
			status: 'open',
			assignee: null,
			opened_at: at,
			first_response_at: null,
			resolved_at: null,
			last_inbound_at: null,
			last_channel: null,
			created_at: at,
			updated_at: at,
		};
		await tx
			.insertInto('conversations')
			.values(row)
			.onConflict((oc) => oc.columns(['tenant_id', 'customer_id']).doNothing())
			.execute();
		return await tx
			.selectFrom('conversations')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('customer_id', '=', root)
			.executeTakeFirstOrThrow();
	}
	if (fold.length > 0) {
		await tx
			.deleteFrom('conversations')
			.where('tenant_id', '=', tenantId)
			.where(
				'id',
				'in',
				fold.map((r) => r.id),
			)
			.execute();
	}
	if (keep.customer_id !== root) {
		await tx.updateTable('conversations').set({ customer_id: root }).where('id', '=', keep.id).execute();
		keep.customer_id = root;
	}
	return keep;
}

/** A customer wrote: remember the chat (reachable again) and (re)open the conversation. */
export async function recordInbound(
	tx: Db,
	input: {
		tenantId: string;
		customerId: string;
		channel: MessagingChannel;
		connectionId: string;
		chatId: string;
		at: number;
	},
): Promise<void> {
	const { tenantId, at } = input;
	const conversation = await ensureConversation(tx, tenantId, input.customerId, at);
	await upsertChat(tx, { ...input, customerId: conversation.customer_id, reachable: true });
	const reopen = conversation.status === 'resolved';
	await tx
		.updateTable('conversations')
		.set({
			status: 'open',
			last_inbound_at: at,
			last_channel: input.channel,
			updated_at: at,
			...(reopen ? { opened_at: at, first_response_at: null, resolved_at: null } : {}),
		})
		.where('id', '=', conversation.id)
		.execute();
}

export async function upsertChat(
	tx: Db,
	input: {
		tenantId: string;
		customerId: string;
		channel: MessagingChannel;
		connectionId: string;
		chatId: string;
		at: number;
		reachable: boolean;
	},
): Promise<void> {
	await tx
		.insertInto('conversation_chats')
		.values({
			tenant_id: input.tenantId,
			connection_id: input.connectionId,
			chat_id: input.chatId,
			channel: input.channel,
			customer_id: input.customerId,
			reachable: input.reachable ? 1 : 0,
			last_inbound_at: input.at,
			updated_at: input.at,
		})
		.onConflict((oc) =>
			oc.columns(['tenant_id', 'connection_id', 'chat_id']).doUpdateSet({
				customer_id: input.customerId,
				reachable: input.reachable ? 1 : 0,
				last_inbound_at: input.at,
				updated_at: input.at,
			}),
		)
		.execute();
}

/** The platform said this chat refuses messages (blocked bot, denied messages) — or accepts them again. */
export async function setChatReachable(
	tx: Db,
	tenantId: string,
	connectionId: string,
	chatId: string,
	reachable: boolean,
	at: number,
): Promise<void> {
	await tx
		.updateTable('conversation_chats')
		.set({ reachable: reachable ? 1 : 0, updated_at: at })
		.where('tenant_id', '=', tenantId)
		.where('connection_id', '=', connectionId)
		.where('chat_id', '=', chatId)
		.execute();
}

export interface ChatRow {
	connection_id: string;
	chat_id: string;
	channel: string;
	reachable: number;
	last_inbound_at: number;
}

/** Every chat of a customer (all merged members included), most recently written from first. */
export async function chatsOf(db: Db, tenantId: string, customerId: string): Promise<ChatRow[]> {
	const root = await rootOf(db, tenantId, customerId);
	const members = await memberIds(db, tenantId, root);
	return await db
		.selectFrom('conversation_chats')
		.select(['connection_id', 'chat_id', 'channel', 'reachable', 'last_inbound_at'])
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.orderBy('last_inbound_at', 'desc')
		.execute();
}

/** The shop answered: first response time is set once per opening, and the ball is the customer's. */
export async function recordReply(tx: Db, tenantId: string, customerId: string, at: number): Promise<void> {
	const conversation = await ensureConversation(tx, tenantId, customerId, at);
	await tx
		.updateTable('conversations')
		.set({
			status: conversation.status === 'resolved' ? 'resolved' : 'pending',
			first_response_at: conversation.first_response_at ?? at,
			updated_at: at,
		})
		.where('id', '=', conversation.id)
		.execute();
}

export async function updateConversation(
	db: Db,
	tenantId: string,
	id: string,
	change: { status?: ConversationStatus | undefined; assignee?: string | null | undefined },
	at: number,
): Promise<Conversation> {
	const row = await db
		.selectFrom('conversations')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`conversation ${id}`);
	const set: Partial<typeof row> = { updated_at: at };
	if (change.assignee !== undefined) set.assignee = change.assignee;
	if (change.status !== undefined && change.status !== row.status) {
		set.status = change.status;
		if (change.status === 'resolved') set.resolved_at = at;
		else if (row.status === 'resolved')
			Object.assign(set, { opened_at: at, resolved_at: null, first_response_at: null });
	}
	await db.updateTable('conversations').set(set).where('id', '=', id).execute();
	return await getConversation(db, tenantId, id);
}

export async function getConversation(db: Db, tenantId: string, id: string): Promise<Conversation> {
	const row = await db
		.selectFrom('conversations')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`conversation ${id}`);
	return await toConversation(db, row);
}

export async function conversationOfCustomer(db: Db, tenantId: string, customerId: string) {
	const root = await rootOf(db, tenantId, customerId);
	const members = await memberIds(db, tenantId, root);
	const row = await db
		.selectFrom('conversations')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('customer_id', 'in', members)
		.orderBy('created_at')
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`conversation of customer ${customerId}`);
	return await toConversation(db, row);
}

export async function listConversations(
	db: Db,
	tenantId: string,
	query: {
		status?: ConversationStatus | undefined;
		assignee?: string | undefined;
		limit: number;
		before?: string | undefined;
	},
) {
	let q = db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId);
	if (query.status) q = q.where('status', '=', query.status);
	if (query.assignee) q = q.where('assignee', '=', query.assignee);
	if (query.before) q = q.where('id', '<', query.before);
	const rows = await q
		.orderBy('id', 'desc')
		.limit(query.limit + 1)
		.execute();
	const items = await Promise.all(rows.slice(0, query.limit).map((row) => toConversation(db, row)));
	return { items, next: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

type Row = {
	id: string;
	tenant_id: string;
	customer_id: string;
	status: string;
	assignee: string | null;
	opened_at: number;
	first_response_at: number | null;
	resolved_at: number | null;
	last_inbound_at: number | null;
	last_channel: string | null;
	updated_at: number;
};

const iso = (ms: number | null) => (ms === null ? null : toIso(Number(ms)));
const seconds = (from: number, to: number | null) =>
	to === null ? null : (Number(to) - Number(from)) / 1000;

async function toConversation(db: Db, row: Row): Promise<Conversation> {
	const root = await rootOf(db, row.tenant_id, row.customer_id);
	const chats = await chatsOf(db, row.tenant_id, root);
	return {
		id: row.id,
		customerId: root,
		status: row.status as ConversationStatus,
		assignee: row.assignee,
		openedAt: toIso(Number(row.opened_at)),
		firstResponseAt: iso(row.first_response_at),
		resolvedAt: iso(row.resolved_at),
		lastInboundAt: iso(row.last_inbound_at),
		lastChannel: row.last_channel as MessagingChannel | null,
		firstResponseSeconds: seconds(row.opened_at, row.first_response_at),
		resolutionSeconds: seconds(row.opened_at, row.resolved_at),
		chats: chats.map((chat) => ({
			channel: chat.channel as MessagingChannel,
			connectionId: chat.connection_id,
			chatId: chat.chat_id,
			reachable: chat.reachable === 1,
			lastInboundAt: toIso(Number(chat.last_inbound_at)),
		})),
		updatedAt: toIso(Number(row.updated_at)),
	};
}
