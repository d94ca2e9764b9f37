import type { MessagingChannel } from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { newId } from '../clock.ts';
import type { CartItem, ShownProduct } from './texts.ts';

/** The states of a chat order; the first four are a draft the chat is still filling in. */
export const DRAFT_STATES = ['browsing', 'quantity', 'location', 'confirm'] as const;
export const OPEN_STATES = [...DRAFT_STATES, 'placing'] as const;
export type ChatOrderState = (typeof OPEN_STATES)[number] | 'placed' | 'failed' | 'cancelled';

/** Product ids go into button data: short, and only characters every platform takes. */
export const ProductIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

const ShownSchema = z.object({
	id: ProductIdSchema,
	name: z.string().min(1).max(500),
	price: z.string().regex(/^-?\d+(\.\d+)?$/),
	currency: z.string().min(3).max(3),
	url: z.string().max(2000).nullable(),
});
const ItemSchema = ShownSchema.extend({ quantity: z.number().int().min(1).max(99) });

export interface ChatOrder {
	id: string;
	tenantId: string;
	customerId: string;
	channel: MessagingChannel;
	connectionId: string;
	chatId: string;
	state: ChatOrderState;
	shown: ShownProduct[];
	pending: ShownProduct | null;
	items: CartItem[];
	locationId: string | null;
	host: string | null;
	orderId: string | null;
	number: string | null;
	/** Why it failed (`failed`); a dead letter's starts with DEAD_LETTER_ERROR. */
	error: string | null;
}

/** The start of a chat order's `error` when its place job died for good (a retried job may still place it). */
export const DEAD_LETTER_ERROR = 'dead letter: ';

/** The products a chat remembers from the catalog pages it was shown (newest first). */
const MAX_SHOWN = 30;

type Row = {
	id: string;
	tenant_id: string;
	customer_id: string;
	channel: string;
	connection_id: string;
	chat_id: string;
	state: string;
	shown: string;
	pending: string | null;
	items: string;
	location_id: string | null;
	host: string | null;
	order_id: string | null;
	number: string | null;
	error?: string | null;
};

function parseJson<T>(schema: z.ZodType<T>, text: string | null, fallback: T): T {
	if (text === null) return fallback;
	try {
		const parsed = schema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : fallback;
	} catch {
		return fallback;
	}
}

function toChatOrder(row: Row): ChatOrder {
	return {
		id: row.id,
		tenantId: row.tenant_id,
		customerId: row.customer_id,
		channel: row.channel as MessagingChannel,
		connectionId: row.connection_id,
		chatId: row.chat_id,
		state: row.state as ChatOrderState,
		shown: parseJson(z.array(ShownSchema), row.shown, []),
		pending: parseJson(ShownSchema.nullable(), row.pending, null),
		items: parseJson(z.array(ItemSchema), row.items, []),
		locationId: row.location_id,
		host: row.host,
		orderId: row.order_id,
		number: row.number,
		error: row.error ?? null,
	};
}

export interface ChatRef {
	tenantId: string;
	channel: MessagingChannel;
	connectionId: string;
	chatId: string;
}

/** The chat's open order (a draft, or one being placed), newest first. */
export async function openChatOrder(tx: Db, chat: ChatRef): Promise<ChatOrder | null> {
	const row = await tx
		.selectFrom('chat_orders')
		.selectAll()
		.where('tenant_id', '=', chat.tenantId)
		.where('connection_id', '=', chat.connectionId)
		.where('chat_id', '=', chat.chatId)
		.where('state', 'in', [...OPEN_STATES])
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return row ? toChatOrder(row) : null;
}

export async function chatOrderById(tx: Db, tenantId: string, id: string): Promise<ChatOrder | null> {
	const row = await tx
		.selectFrom('chat_orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.executeTakeFirst();
	return row ? toChatOrder(row) : null;
}

/** The chat order that became this Nitka order (orders.id), if it came from a chat. */
export async function chatOrderOfOrder(tx: Db, tenantId: string, orderId: string): Promise<ChatOrder | null> {
	const row = await tx
		.selectFrom('chat_orders')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('order_id', '=', orderId)
		.executeTakeFirst();
	return row ? toChatOrder(row) : null;
}

/** Remembers a catalog page the chat was shown; opens a draft when the chat has none. */
export async function rememberShown(
	tx: Db,
	chat: ChatRef & { customerId: string },
	products: ShownProduct[],
	at: number,
): Promise<ChatOrder> {
	const open = await openChatOrder(tx, chat);
	if (open) {
		const ids = new Set(products.map((p) => p.id));
		const shown = [...products, ...open.shown.filter((p) => !ids.has(p.id))].slice(0, MAX_SHOWN);
		// A placing order keeps its state; a draft goes back to browsing (its cart stays).
		const state = open.state === 'placing' ? 'placing' : 'browsing';
		await tx
			.updateTable('chat_orders')
			.set({ shown: JSON.stringify(shown), state, pending: null, updated_at: at })
			.where('tenant_id', '=', chat.tenantId)
			.where('id', '=', open.id)
			.execute();
		return { ...open, shown, state, pending: null };
	}
	const id = newId(at);
	await tx
		.insertInto('chat_orders')
		.values({
			id,
			tenant_id: chat.tenantId,
			customer_id: chat.customerId,
			channel: chat.channel,
			connection_id: chat.connectionId,
			chat_id: chat.chatId,
			state: 'browsing',
			shown: JSON.stringify(products.slice(0, MAX_SHOWN)),
			pending: null,
			items: '[]',
			location_id: null,
			host: null,
			order_id: null,
			number: null,
			error: null,
			created_at: at,
			updated_at: at,
			placed_at: null,
		})
		.execute();
	return (await chatOrderById(tx, chat.tenantId, id))!;
}

/**
 * Moves a chat order from one of `from` to `to` with the given changes; false when it was no
 * longer in one of those states (a double tap, a race with another process).
 */
export async function moveChatOrder(
	tx: Db,
	order: Pick<ChatOrder, 'tenantId' | 'id'>,
	from: readonly ChatOrderState[],
	to: ChatOrderState,
	changes: {
		pending?: ShownProduct | null;
		items?: CartItem[];
		locationId?: string | null;
		host?: string;
		orderId?: string;
		number?: string;
		error?: string | null;
		placedAt?: number;
	},
	at: number,
): Promise<boolean> {
	const updated = await tx
		.updateTable('chat_orders')
		.set({
			state: to,
			updated_at: at,
			...(changes.pending === undefined
				? {}
				: { pending: changes.pending ? JSON.stringify(changes.pending) : null }),
			...(changes.items === undefined ? {} : { items: JSON.stringify(changes.items) }),
			...(changes.locationId === undefined ? {} : { location_id: changes.locationId }),
			...(changes.host === undefined ? {} : { host: changes.host }),
			...(changes.orderId === undefined ? {} : { order_id: changes.orderId }),
			...(changes.number === undefined ? {} : { number: changes.number }),
			...(changes.error === undefined ? {} : { error: changes.error }),
			...(changes.placedAt === undefined ? {} : { placed_at: changes.placedAt }),
		})
		.where('tenant_id', '=', order.tenantId)
		.where('id', '=', order.id)
		.where('state', 'in', [...from])
		.executeTakeFirst();
	return Number(updated.numUpdatedRows) > 0;
}

/** Adds a quantity of a product to the cart (the same product twice adds up, at most 99). */
export function addToCart(items: CartItem[], product: ShownProduct, quantity: number): CartItem[] {
	const existing = items.find((item) => item.id === product.id);
	if (existing) {
		return items.map((item) =>
			item.id === product.id ? { ...item, quantity: Math.min(99, item.quantity + quantity) } : item,
		);
	}
	return [...items, { ...product, quantity }];
}

export interface PickupLocation {
	id: string;
	name: string;
	address: string | null;
}

/** The tenant's open stores and pickup points, by name. */
export async function pickupLocations(tx: Db, tenantId: string): Promise<PickupLocation[]> {
	return await tx
		.selectFrom('locations')
		.select(['id', 'name', 'address'])
		.where('tenant_id', '=', tenantId)
		.where('active', '=', 1)
		.where('kind', 'in', ['store', 'pickup_point'])
		.orderBy('name')
		.orderBy('id')
		.execute();
}

export async function pickupLocation(tx: Db, tenantId: string, id: string): Promise<PickupLocation | null> {
	const row = await tx
		.selectFrom('locations')
		.select(['id', 'name', 'address', 'active', 'kind'])
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.executeTakeFirst();
	if (row?.active !== 1 || !['store', 'pickup_point'].includes(row.kind)) return null;
	return { id: row.id, name: row.name, address: row.address };
}
