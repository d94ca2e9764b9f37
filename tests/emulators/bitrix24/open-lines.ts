import type { Clock } from '../kit/index.ts';
import type { OperatorReply } from './emulator-types.ts';
import type { EventDispatcher } from './events.ts';
import type { PortalState } from './portal-state.ts';

/**
 * An operator's message in an open line chat of a custom connector: stored, then sent to the
 * connector app's ONIMCONNECTORMESSAGEADD handlers (research §5.3), signed when NEED_SIGNATURE.
 */
export async function operatorReply(
	portal: PortalState,
	events: EventDispatcher,
	clock: Clock,
	reply: OperatorReply,
	defaultOperator: number,
): Promise<{ chatId: number; messageId: number }> {
	const connector = portal.connectors.get(reply.connector.toLowerCase());
	if (!connector) throw new Error(`no connector ${reply.connector} on ${portal.domain}`);
	const chat = portal.chats.find(
		(c) => c.connector === connector.id && c.line === reply.line && c.externalChatId === reply.chatId,
	);
	if (!chat) throw new Error(`no open line chat ${reply.chatId} on line ${reply.line}: send a message first`);
	const operatorId = reply.operatorId ?? defaultOperator;
	const operator = portal.users.get(operatorId);
	const name = `${operator?.NAME ?? ''} ${operator?.LAST_NAME ?? ''}`.trim();
	const text = connector.needSignature ? `[b]${name}:[/b] [br]${reply.text}` : reply.text;
	const messageId = portal.nextId('im-message') + 86_000;
	portal.messages.push({
		messageId,
		chatId: chat.chatId,
		direction: 'out',
		text,
		authorId: operatorId,
		delivered: false,
		at: clock.now(),
	});
	await events.emit(
		portal,
		'ONIMCONNECTORMESSAGEADD',
		{
			CONNECTOR: connector.id,
			LINE: reply.line,
			MESSAGES: [
				{
					im: { chat_id: chat.chatId, message_id: messageId },
					message: { user_id: operatorId, text },
					chat: { id: chat.externalChatId },
				},
			],
		},
		{ appId: connector.appId, userId: operatorId },
	);
	return { chatId: chat.chatId, messageId };
}
