import { type EventData, type MessagingChannel, MessagingChannelSchema } from '@nitka/shared';
import { CATALOG_BUTTON } from '../chat-orders/texts.ts';
import type { Clock } from '../clock.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { rootOf } from '../identity/identity-graph.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { DataButton } from '../ports/channel-client.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import { PROMO_MENU_BUTTON } from '../promos/texts.ts';
import { RETURN_BUTTON_DATA } from '../returns/texts.ts';
import { issueCardAccess } from './card-access.ts';

/** The data of the "My card" button wherever Nitka puts it (a callback button, a VK keyboard payload). */
export const CARD_BUTTON_DATA = 'card';

/** The "My card" button itself, for any bot message that offers it. */
export const MY_CARD_BUTTON: DataButton = { text: 'Моя карта', data: CARD_BUTTON_DATA };

/**
 * The chat menu kept under VK's input field with the My card answer (VK has no command menu; the
 * other platforms list `/catalog`, `/promo`, `/return` and `/card` in the bot's menu): each
 * journey's entry and the card. Their presses come back as the buttons' data.
 */
export const CHAT_MENU: readonly DataButton[] = [
	CATALOG_BUTTON,
	PROMO_MENU_BUTTON,
	{ text: 'Возврат', data: RETURN_BUTTON_DATA },
	MY_CARD_BUTTON,
];

/** `/card` (Telegram's menu, `/card@shop_bot` in groups) or the button's label typed or sent by a keyboard. */
const CARD_TEXT = /^\s*(?:\/card(?:@\w+)?|моя карта|my card|карта покупателя|loyalty card)\s*[.!]?\s*$/iu;

export function isCardRequest(
	data: Pick<EventData<'message.in'>, 'text' | 'buttonData' | 'editOf'>,
): boolean {
	if (data.editOf) return false;
	if (data.buttonData !== undefined) return data.buttonData === CARD_BUTTON_DATA;
	return typeof data.text === 'string' && CARD_TEXT.test(data.text);
}

/** `https://shop.example/nitka` + access → the card page's URL. */
export function cardPageUrl(baseUrl: string, access: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/card/${access}`;
}

export const CARD_REPLY_TEXT =
	'Ваша карта покупателя: откройте её и покажите QR-код на кассе. Код обновляется сам, ссылка действует 30 дней.';
export const CARD_LINK_TEXT = 'Открыть карту';

/**
 * Answers "My card" (Telegram `/card`, the VK keyboard button, a MAX or Telegram callback button,
 * or the words typed) with a bot message carrying a link button to the customer's card page.
 * Once per incoming message (the reply's key is the message's source key). Without a base URL for
 * links (no PUBLIC_URL and the server not listening yet) it stays silent.
 */
export const createCardReactor =
	(deps: {
		clock: Clock;
		accessKey: Buffer;
		baseUrl: () => string | undefined;
		/** False for a group chat: a personal link is never posted where others read it. */
		privateChat?: (channel: MessagingChannel, chatId: string) => boolean;
	}): EventReactor =>
	async (stored, tx) => {
		const jobs: OutboxJobInput[] = [];
		for (const { tenantId, customerId, event } of stored) {
			if (event.type !== 'message.in') continue;
			const channel = MessagingChannelSchema.safeParse(event.channel);
			const data = event.data as EventData<'message.in'>;
			if (!channel.success || !data.connectionId || !data.chatId || !isCardRequest(data)) continue;
			if (deps.privateChat && !deps.privateChat(channel.data, data.chatId)) continue;
			const baseUrl = deps.baseUrl();
			if (!baseUrl) continue;
			const at = deps.clock.now();
			const root = await rootOf(tx, tenantId, customerId);
			const { access } = issueCardAccess(deps.accessKey, { tenantId, customerId: root }, at);
			jobs.push(
				...(await botMessage(tx, {
					tenantId,
					customerId: root,
					channel: channel.data,
					connectionId: data.connectionId,
					chatId: data.chatId,
					text: CARD_REPLY_TEXT,
					buttons: [{ text: CARD_LINK_TEXT, url: cardPageUrl(baseUrl, access) }],
					// VK keeps the menu («Каталог», «Промокод», «Возврат», «Моя карта») under the input
					// field from now on (other channels: the bot's command menu).
					menu: [...CHAT_MENU],
					key: `card:${event.sourceKey}`,
					at,
				})),
			);
		}
		return jobs;
	};
