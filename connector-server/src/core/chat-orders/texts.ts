import type { DataButton } from '../ports/channel-client.ts';

/**
 * What the bot says in the ordering conversation (journey 1). Russian: the shops' customers'
 * language (tenants have no language setting yet). Button data is ≤ 64 bytes of [A-Za-z0-9:_-].
 */

/** The button data of the conversation; ids are the host's product ids and Nitka's location ids. */
export const ORDER_BUTTON = {
	catalog: (page: number) => `co:cat:${page}`,
	product: (id: string) => `co:add:${id}`,
	quantity: (n: number) => `co:qty:${n}`,
	location: (id: string) => `co:loc:${id}`,
	more: 'co:more',
	confirm: 'co:ok',
	cancel: 'co:no',
} as const;

/** The "Каталог" button for any bot message or chat menu. */
export const CATALOG_BUTTON: DataButton = { text: 'Каталог', data: ORDER_BUTTON.catalog(1) };

/** `/catalog` (Telegram's menu, `/catalog@shop_bot` in groups), «каталог», «catalog», «хочу заказать». */
const CATALOG_TEXT =
	/^\s*(?:\/catalog(?:@\w+)?|\/order(?:@\w+)?|каталог|catalog|товары|хочу заказать|заказать)\s*[.!?]?\s*$/iu;

export const isCatalogText = (text: string | undefined) =>
	typeof text === 'string' && CATALOG_TEXT.test(text);

const rubles = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** `1990.00`, `RUB` → `1 990 ₽`. */
export function money(amount: string | number, currency: string): string {
	const value = typeof amount === 'number' ? amount : Number(amount);
	const formatted = rubles.format(value).replace(/\u00a0/g, ' ');
	return currency === 'RUB' ? `${formatted} ₽` : `${formatted} ${currency}`;
}

export interface ShownProduct {
	id: string;
	name: string;
	price: string;
	currency: string;
	url: string | null;
}

export interface CartItem extends ShownProduct {
	quantity: number;
}

export function catalogText(products: ShownProduct[], page: number, totalPages: number): string {
	if (products.length === 0) return 'В каталоге пока нет товаров, которые можно заказать.';
	const lines = products.map((p, i) => {
		const head = `${i + 1}. ${p.name} — ${money(p.price, p.currency)}`;
		return p.url ? `${head}\n${p.url}` : head;
	});
	const paging = totalPages > 1 ? ` (страница ${page} из ${totalPages})` : '';
	return `Каталог${paging}:\n\n${lines.join('\n\n')}\n\nЧтобы заказать, нажмите номер товара.`;
}

export const NO_CATALOG_TEXT =
	'Заказ в чате пока недоступен: магазин ещё не подключил каталог. Напишите нам — поможем оформить заказ.';
export const CATALOG_FAILED_TEXT = 'Каталог сейчас не открывается. Попробуйте ещё раз чуть позже.';
export const EXPIRED_TEXT = 'Этот список уже устарел. Откройте каталог заново.';

export const quantityText = (product: ShownProduct) =>
	`«${product.name}», ${money(product.price, product.currency)} за штуку. Сколько штук заказать? Нажмите кнопку или напишите число.`;

export const QUANTITY_RETRY_TEXT = 'Напишите количество числом от 1 до 99.';

export function cartLines(items: CartItem[]): string {
	return items
		.map(
			(item) =>
				`• ${item.name} × ${item.quantity} — ${money(Number(item.price) * item.quantity, item.currency)}`,
		)
		.join('\n');
}

export function cartTotal(items: CartItem[]): { total: string; currency: string } {
	const total = items.reduce((sum, item) => sum + Math.round(Number(item.price) * 100) * item.quantity, 0);
	return { total: (total / 100).toFixed(2), currency: items[0]?.currency ?? 'RUB' };
}

export const locationText = (items: CartItem[]) =>
	`В заказе:\n${cartLines(items)}\n\nГде заберёте заказ? Выберите магазин или пункт выдачи.`;

export const NO_LOCATIONS_TEXT =
	'Самовывоз сейчас недоступен: у магазина нет открытых пунктов выдачи. Напишите нам — поможем с заказом.';

export function confirmText(items: CartItem[], location: { name: string; address: string | null }): string {
	const { total, currency } = cartTotal(items);
	const where = location.address ? `${location.name}, ${location.address}` : location.name;
	return `Проверьте заказ:\n${cartLines(items)}\nИтого: ${money(total, currency)}\n\nСамовывоз: ${where}\nОплата при получении.\n\nВсё верно?`;
}

export const PLACING_TEXT = 'Оформляем заказ…';
export const CANCELLED_TEXT = 'Заказ отменён. Каталог всегда под рукой: /catalog.';
export const BUSY_TEXT = 'Заказ уже оформляется — сейчас пришлём его номер.';

export const acceptedText = (number: string, location: { name: string; address: string | null }) =>
	`Заказ №${number} принят! Соберём его в «${location.name}» и напишем сюда, когда он будет готов к выдаче.`;

export const refusedText = (names: string[]) =>
	names.length > 0
		? `Не получилось оформить заказ: ${names.join(', ')} больше нет в наличии. Загляните в каталог — /catalog.`
		: 'Не получилось оформить заказ. Попробуйте ещё раз или напишите нам.';

export const readyText = (number: string, location: { name: string; address: string | null } | null) => {
	const where = location ? ` в «${location.name}»${location.address ? ` (${location.address})` : ''}` : '';
	return `Заказ №${number} готов! Забрать его можно${where}. На кассе покажите QR-код из «Моя карта» или назовите номер телефона.`;
};

export const thanksText = (number: string, location: string | null) =>
	`Спасибо, что забрали заказ №${number}${location ? ` в «${location}»` : ''}! Будем рады видеть вас снова.`;

/** The catalog job died for good (the host never answered): the shop will come back to the chat. */
export const CATALOG_DEAD_TEXT =
	'Не получилось открыть каталог: магазин сейчас не отвечает. Мы передали ваш запрос магазину — с вами свяжутся здесь.';
/** The place job died for good: the order may or may not be in the host; the shop will sort it out. */
export const PLACE_DEAD_TEXT =
	'Не получилось оформить заказ: магазин сейчас не отвечает. Мы передали заказ магазину — с вами свяжутся здесь, чтобы его подтвердить.';

export const QUANTITY_CHOICES = [1, 2, 3, 5] as const;
/**
 * Channel clients put a message's buttons in one row, and VK takes at most 5 a row: 4 products and
 * one paging button, 4 locations and «Ещё товар».
 */
export const PER_PAGE = 4;
export const MAX_LOCATION_BUTTONS = 4;
