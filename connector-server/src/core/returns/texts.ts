import type { EventData } from '@nitka/shared';
import type { DataButton } from '../ports/channel-client.ts';

/** The data of the "Return goods" button (a bot menu or any message may offer it). */
export const RETURN_BUTTON_DATA = 'return';
export const RETURN_BUTTON: DataButton = { text: 'Вернуть товар', data: RETURN_BUTTON_DATA };
/** `return:order:<orders.id>`: the customer picked that order. */
export const ORDER_BUTTON_PREFIX = 'return:order:';
/** The return has no order (goods bought elsewhere, at the counter…). */
export const NO_ORDER_BUTTON_DATA = 'return:order:none';

/** `/return` (also `/return@shop_bot`), "вернуть товар", "возврат", "return". */
const RETURN_TEXT =
	/^\s*(?:\/return(?:@\w+)?|вернуть товар|возврат(?: товара)?|return(?: goods)?)\s*[.!]?\s*$/iu;

export type ReturnIntent =
	| { kind: 'start' }
	| { kind: 'order'; orderId: string | null }
	| { kind: 'text'; text: string };

/** What a customer's message means for the return dialog (edits mean nothing). */
export function returnIntent(
	data: Pick<EventData<'message.in'>, 'text' | 'buttonData' | 'editOf'>,
): ReturnIntent | null {
	if (data.editOf) return null;
	if (data.buttonData !== undefined) {
		if (data.buttonData === RETURN_BUTTON_DATA) return { kind: 'start' };
		if (data.buttonData === NO_ORDER_BUTTON_DATA) return { kind: 'order', orderId: null };
		if (data.buttonData.startsWith(ORDER_BUTTON_PREFIX)) {
			const orderId = data.buttonData.slice(ORDER_BUTTON_PREFIX.length);
			return orderId ? { kind: 'order', orderId } : null;
		}
		return null;
	}
	const text = data.text?.trim();
	if (!text) return null;
	if (RETURN_TEXT.test(text)) return { kind: 'start' };
	return { kind: 'text', text };
}

export const CHOOSE_ORDER_TEXT = 'Какой заказ вы хотите вернуть? Выберите его ниже.';
export const NO_ORDERS_TEXT =
	'Мы не нашли ваших заказов. Опишите одним сообщением, что случилось и какой товар вы хотите вернуть.';
export const NO_ORDER_BUTTON: DataButton = { text: 'Другое / без заказа', data: NO_ORDER_BUTTON_DATA };
export const askReasonText = (orderNumber: string | null) =>
	orderNumber
		? `Заказ №${orderNumber}. Опишите одним сообщением, что случилось и почему вы хотите вернуть товар.`
		: 'Опишите одним сообщением, что случилось и какой товар вы хотите вернуть.';
export const requestedText = (number: string) =>
	`Заявка на возврат ${number} принята. Менеджер рассмотрит её и напишет сюда; после одобрения пришлём QR-код для возврата в магазине.`;
export const approvedText = (number: string, url: string, until: string) =>
	`Возврат ${number} одобрен. Покажите на кассе QR-код по ссылке: ${url}\nКод одноразовый и действует до ${until}.`;
export const rejectedText = (number: string) =>
	`К сожалению, возврат ${number} не одобрен. Менеджер напишет вам подробности здесь.`;
/** The return's ticket could not be made in the shop's system (its job died for good). */
export const ticketFailedText = (number: string) =>
	`Заявку на возврат ${number} не получилось сразу передать менеджеру. Мы сообщили магазину — с вами свяжутся здесь.`;
export const RETURN_QR_LINK_TEXT = 'QR-код для возврата';
export const receivedText = (
	number: string,
	location: string | null,
	total: string | null,
	currency: string | null,
) =>
	`Возврат ${number} принят${location ? ` в магазине «${location}»` : ''}. ${
		total ? `Деньги (${total} ${currency ?? 'RUB'}) вернём` : 'Деньги вернём'
	} тем же способом оплаты в течение 10 дней. Спасибо, что остаётесь с нами!`;

export function dateRu(at: number): string {
	return new Date(at).toLocaleDateString('ru-RU', {
		timeZone: 'Europe/Moscow',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
	});
}
