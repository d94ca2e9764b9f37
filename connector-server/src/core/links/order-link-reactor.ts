import { type EventData, type MessagingChannel, MessagingChannelSchema } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../clock.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import { consumeLinkToken, issueLinkToken } from './link-tokens.ts';
import { joinMessengerAccount, messengerAccountOf } from './messenger-join.ts';
import { findMentionedOrder, orderNumberCandidates } from './order-mentions.ts';

/** Button data of the offer: `ol:y:<token>` / `ol:n:<token>` (≤ 64 bytes, Telegram's callback_data cap). */
const DECISION = /^ol:([yn]):([A-Za-z0-9_-]{16,64})$/;
const OFFER_TTL_SECONDS = 7 * 24 * 3600;

type Stored = Parameters<EventReactor>[0][number];
type Chat = { channel: MessagingChannel; connectionId: string; chatId: string };

/**
 * A customer who names a known order number in a chat is asked whether it is theirs (a bot
 * message with yes/no buttons); "yes" joins the chat's customer to the order's customer, like a
 * deep link bound to that order. The buttons carry a single-use link token bound to the order, so
 * an answer counts once and expires. Offered once per order and customer; never on a guess.
 */
export const createOrderLinkReactor =
	(clock: Clock): EventReactor =>
	async (stored, tx) => {
		const jobs: OutboxJobInput[] = [];
		for (const item of stored) {
			if (item.event.type !== 'message.in') continue;
			const channel = MessagingChannelSchema.safeParse(item.event.channel);
			const data = item.event.data as EventData<'message.in'>;
			if (!channel.success || !data.connectionId) continue;
			const chat = { channel: channel.data, connectionId: data.connectionId, chatId: data.chatId };
			if (data.buttonData !== undefined) jobs.push(...(await decide(tx, item, chat, data.buttonData)));
			else if (data.text && !data.editOf) jobs.push(...(await offer(tx, item, chat, data.text)));
		}
		return jobs;

		async function offer(db: Db, item: Stored, chat: Chat, text: string) {
			const order = await findMentionedOrder(db, item.tenantId, orderNumberCandidates(text));
			if (!order) return [];
			const customer = await rootOf(db, item.tenantId, item.customerId);
			if (customer === (await rootOf(db, item.tenantId, order.customerId))) return [];
			const at = clock.now();
			const buttons = (token: string) => [
				{ text: 'Да, это мой', data: `ol:y:${token}` },
				{ text: 'Нет', data: `ol:n:${token}` },
			];
			// The token is issued only when the offer is new (the message's key dedupes it).
			const question = {
				tenantId: item.tenantId,
				customerId: customer,
				...chat,
				text: `Заказ №${order.number} — ваш? Свяжем этот чат с заказом, чтобы мы видели его историю.`,
				key: `order-offer:${order.ref}:${customer}`,
				at,
			};
			const exists = await db
				.selectFrom('events')
				.select('id')
				.where('tenant_id', '=', item.tenantId)
				.where('source_key', '=', `nitka:bot:${question.key}`)
				.executeTakeFirst();
			if (exists) return [];
			const issued = await issueLinkToken(
				db,
				{
					tenantId: item.tenantId,
					customerId: order.customerId,
					// The order's own customer, not what claims merged it into (docs/identity.md, "Claims").
					exact: true,
					orderId: order.ref,
					ttlSeconds: OFFER_TTL_SECONDS,
				},
				at,
			);
			return await botMessage(db, { ...question, buttons: buttons(issued.token) });
		}

		async function decide(db: Db, item: Stored, chat: Chat, buttonData: string) {
			const match = DECISION.exec(buttonData);
			if (!match?.[1] || !match[2]) return [];
			const account = await messengerAccountOf(db, item.tenantId, item.customerId, item.event.channel);
			if (!account) return [];
			const at = clock.now();
			const bound = await consumeLinkToken(
				db,
				item.tenantId,
				match[2],
				`${account.type}:${account.value}`,
				at,
			);
			// Unknown, expired or already answered: the first answer stands.
			if (!bound) return [];
			if (match[1] === 'n') return [];
			const joined = await joinMessengerAccount(db, {
				tenantId: item.tenantId,
				channel: item.event.channel,
				account,
				messengerCustomerId: item.customerId,
				knownCustomerId: bound.customerId,
				sourceKey: item.event.sourceKey,
				method: 'message',
				at,
			});
			if (!joined) return [];
			return await botMessage(db, {
				tenantId: item.tenantId,
				customerId: await rootOf(db, item.tenantId, item.customerId),
				...chat,
				text: 'Готово: чат связан с заказом.',
				key: `order-linked:${item.event.sourceKey}`,
				at,
			});
		}
	};
