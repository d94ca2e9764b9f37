import { type EventData, MessagingChannelSchema } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { memberIds, rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { DataButton } from '../ports/channel-client.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import type { ReturnDeps } from './deps.ts';
import { type ChatRef, customerOrders, onReturnReceived, requestReturn } from './returns.ts';
import {
	askReasonText,
	CHOOSE_ORDER_TEXT,
	NO_ORDER_BUTTON,
	NO_ORDERS_TEXT,
	ORDER_BUTTON_PREFIX,
	returnIntent,
} from './texts.ts';

/** A dialog left half-way is forgotten after a day. */
const DIALOG_TTL_MS = 24 * 3_600_000;
/** Orders offered to pick from. */
const ORDERS_OFFERED = 5;
const POS_RETURN_KEY = /^pos:return:(.+)$/;

type Stored = Parameters<EventReactor>[0][number];

/**
 * Journey 3 in the chats and at the counter, in the ingest transaction of the events that cause it:
 *
 * - "Вернуть товар" (button `return`, `/return`, the words typed): the customer's recent orders
 *   as buttons (`return:order:<id>`, plus "other / no order"); picking one asks for the reason;
 *   the next text message in that chat is the reason: a `requested` return (`return.requested`,
 *   from which the host makes its ticket) and a confirmation. Private chats only.
 * - `pos.return` of an approved return (source key `pos:return:<id>`, helper A's counter action):
 *   the order becomes `returned` and the customer is told in the return's chat.
 */
export function createReturnReactor(deps: ReturnDeps): EventReactor {
	const reactor: EventReactor = async (stored, tx) => {
		const jobs: OutboxJobInput[] = [];
		for (const s of stored) {
			if (s.event.type === 'message.in') jobs.push(...(await onMessage(tx, s)));
			else if (s.event.type === 'pos.return') {
				const match = POS_RETURN_KEY.exec(s.event.sourceKey);
				if (match?.[1])
					jobs.push(...(await onReturnReceived(tx, deps, s.tenantId, match[1], deps.clock.now(), reactor)));
			}
		}
		return jobs;
	};

	async function onMessage(tx: Db, { tenantId, customerId, event }: Stored): Promise<OutboxJobInput[]> {
		const channel = MessagingChannelSchema.safeParse(event.channel);
		const data = event.data as EventData<'message.in'>;
		if (!channel.success || !data.connectionId || !data.chatId) return [];
		const intent = returnIntent(data);
		if (!intent) return [];
		const chat: ChatRef = { channel: channel.data, connectionId: data.connectionId, chatId: data.chatId };
		const where = (q: Db) =>
			q
				.selectFrom('return_dialogs')
				.selectAll()
				.where('tenant_id', '=', tenantId)
				.where('channel', '=', chat.channel)
				.where('connection_id', '=', chat.connectionId)
				.where('chat_id', '=', chat.chatId);
		// Plain text matters only inside an open dialog: look that up first (cheap, by primary key).
		const dialog = await where(tx).executeTakeFirst();
		const at = deps.clock.now();
		if (intent.kind === 'text' && (dialog?.step !== 'reason' || Number(dialog.expires_at) <= at)) return [];
		if (deps.privateChat && !deps.privateChat(chat.channel, chat.chatId)) return [];
		const rootId = await rootOf(tx, tenantId, customerId);
		const say = (text: string, key: string, buttons?: DataButton[]) =>
			botMessage(tx, {
				tenantId,
				customerId: rootId,
				...chat,
				text,
				key,
				at,
				...(buttons ? { buttons } : {}),
			});
		const open = async (step: 'choose_order' | 'reason', orderId: string | null) => {
			await tx
				.deleteFrom('return_dialogs')
				.where('tenant_id', '=', tenantId)
				.where('channel', '=', chat.channel)
				.where('connection_id', '=', chat.connectionId)
				.where('chat_id', '=', chat.chatId)
				.execute();
			await tx
				.insertInto('return_dialogs')
				.values({
					tenant_id: tenantId,
					channel: chat.channel,
					connection_id: chat.connectionId,
					chat_id: chat.chatId,
					customer_id: rootId,
					order_id: orderId,
					step,
					created_at: at,
					expires_at: at + DIALOG_TTL_MS,
				})
				.execute();
		};

		if (intent.kind === 'start') {
			const orders = (await customerOrders(tx, tenantId, rootId, ORDERS_OFFERED + 5))
				.filter((o) => o.status !== 'cancelled' && o.status !== 'returned')
				.slice(0, ORDERS_OFFERED);
			if (orders.length === 0) {
				await open('reason', null);
				return await say(NO_ORDERS_TEXT, `return:start:${event.sourceKey}`);
			}
			await open('choose_order', null);
			return await say(CHOOSE_ORDER_TEXT, `return:start:${event.sourceKey}`, [
				...orders.map((o) => ({
					text: `Заказ №${o.number}`.slice(0, 60),
					data: `${ORDER_BUTTON_PREFIX}${o.id}`,
				})),
				NO_ORDER_BUTTON,
			]);
		}
		if (intent.kind === 'order') {
			let orderNumber: string | null = null;
			if (intent.orderId) {
				// Only the customer's own order: a forged button names nobody else's.
				const members = await memberIds(tx, tenantId, rootId);
				const order = await tx
					.selectFrom('orders')
					.select(['id', 'number'])
					.where('tenant_id', '=', tenantId)
					.where('id', '=', intent.orderId)
					.where('customer_id', 'in', members)
					.executeTakeFirst();
				if (!order) return [];
				orderNumber = order.number;
			}
			await open('reason', intent.orderId);
			return await say(askReasonText(orderNumber), `return:order:${event.sourceKey}`);
		}
		// The reason: the dialog ends, the return is requested.
		await tx
			.deleteFrom('return_dialogs')
			.where('tenant_id', '=', tenantId)
			.where('channel', '=', chat.channel)
			.where('connection_id', '=', chat.connectionId)
			.where('chat_id', '=', chat.chatId)
			.execute();
		const { jobs } = await requestReturn(
			tx,
			deps,
			{
				tenantId,
				rootId,
				orderId: dialog?.order_id ?? null,
				reason: intent.text,
				chat,
				sourceKey: event.sourceKey,
				at,
			},
			reactor,
		);
		return jobs;
	}

	return reactor;
}
