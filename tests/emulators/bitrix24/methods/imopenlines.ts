import type { MethodGroup } from '../method-types.ts';
import { RestError } from '../rest-envelope.ts';

/** `imopenlines.config.list.get`, `imopenlines.dialog.get` (research §5.4). */
export const imopenlinesMethods: MethodGroup = {
	'imopenlines.config.list.get': {
		scope: 'imopenlines',
		handler: ({ portal }) => ({
			result: portal.openLines.map((line) => ({
				ID: String(line.ID),
				LINE_NAME: line.LINE_NAME,
				ACTIVE: line.ACTIVE,
				QUEUE: line.QUEUE.map(String),
			})),
		}),
	},
	'imopenlines.dialog.get': {
		scope: 'imopenlines',
		handler: ({ params, portal }) => {
			const chatId = Number(params.CHAT_ID ?? String(params.DIALOG_ID ?? '').replace(/^chat/, ''));
			const chat = portal.chats.find((c) => c.chatId === chatId);
			if (!chat) throw new RestError('ACCESS_ERROR', 'You do not have access to this chat', 400);
			return {
				result: {
					id: chat.chatId,
					entity_type: 'LINES',
					entity_id: `${chat.connector}|${chat.line}|${chat.externalChatId}|${chat.externalUserId}`,
					entity_data_1: '',
					entity_data_2: `LEAD|0|COMPANY|0|CONTACT|${chat.contactId}|DEAL|0`,
					dialog_id: `chat${chat.chatId}`,
				},
			};
		},
	},
};
