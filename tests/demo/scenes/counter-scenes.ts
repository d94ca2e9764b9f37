import { defineScene, type SceneProbe } from './define-scene.ts';

/** Each location's counter screen, opened already paired (the device key rides in the URL fragment). */
const screenLinks = ({ counter }: SceneProbe) => [
	{
		label: {
			ru: `Открыть экран кассы: ${counter.store.location.name}`,
			en: `Open the counter screen: ${counter.store.location.name}`,
		},
		url: counter.store.screenUrl,
	},
	{
		label: {
			ru: `Открыть экран кассы: ${counter.pickupPoint.location.name}`,
			en: `Open the counter screen: ${counter.pickupPoint.location.name}`,
		},
		url: counter.pickupPoint.screenUrl,
	},
];

export const counterScene = defineScene({
	title: { ru: 'Карта покупателя и касса', en: "The customer's card and the counter" },
	about: {
		ru: 'Клиент просит «Моя карта» в чате и получает ссылку на карту с QR-кодом, который меняется каждые 30 секунд; касса сканирует его и видит карточку клиента.',
		en: 'The customer asks for "My card" in a chat and gets a link to their card with a QR code that changes every 30 seconds; the counter scans it and sees the customer card.',
	},
	actions: ['card.ask', 'counter.scan-card'],
	status: (probe) => ({
		state: 'ready',
		note: {
			ru: 'Экран кассы открывается уже подключённым. Откройте ссылку на карту (она появится ниже) и введите на кассе номер карты под QR-кодом — или нажмите «Показать QR на кассе»: демо считает QR со страницы карты, как сканер.',
			en: 'The counter screen opens already paired. Open the card link (shown below) and type the number under the QR code at the counter, or press "Show the QR at the counter": the demo reads the card page\'s QR as a scanner does.',
		},
		links: screenLinks(probe),
	}),
});

export const promoScene = defineScene({
	title: { ru: 'Путь 2: промокод из ВКонтакте на кассе', en: 'Journey 2: a VK promo code at the counter' },
	about: {
		ru: 'Магазин выдаёт персональные коды только тем, кто согласился на предложения (Борис и Вера согласились заранее). Клиент просит код в сообществе, касса погашает его один раз, и в чат приходит благодарность со следующим предложением.',
		en: 'The shop issues personal codes only to those who agreed to offers (Boris and Vera agreed beforehand). The customer asks the community for a code, the counter redeems it once, and a thank-you with the next offer arrives in the chat.',
	},
	actions: ['promo.issue', 'promo.ask', 'promo.consent', 'card.ask', 'counter.redeem'],
	status: (probe) => ({
		state: 'ready',
		note: {
			ru: 'Порядок: «Выдать коды сегменту» (или «Попросить промокод» и «Согласен») → «Моя карта» во ВКонтакте → «Погасить на кассе». Благодарность приходит сразу (задержка в демо — 0 минут).',
			en: 'In order: "Issue codes to the segment" (or "Ask for a promo code" and "I agree") → "My card" in VK → "Redeem at the counter". The thank-you comes at once (the demo\'s delay is 0 minutes).',
		},
		links: screenLinks(probe).slice(0, 1),
	}),
});

export const pickupScene = defineScene({
	title: { ru: 'Путь 1: заказ в чате, самовывоз', en: 'Journey 1: a chat order, picked up in store' },
	about: {
		ru: 'Клиент заказывает в боте Telegram из каталога Битрикс24 с самовывозом: в портале появляется сделка, касса видит заказ «собрать», отмечает «Готов» — клиенту приходит уведомление; на кассе заказ выдают по QR карты, и в чат приходит благодарность.',
		en: 'The customer orders in the Telegram bot from the Bitrix24 catalog with pickup: a deal appears in the portal, the counter lists the order to prepare and marks it ready — the customer is told; at the counter it is handed over by the card QR, and a thank-you arrives in the chat.',
	},
	actions: ['pickup.order', 'counter.mark-ready', 'card.ask', 'counter.hand-over'],
	status: (probe) =>
		probe.portal.app
			? {
					state: 'ready',
					note: {
						ru: 'Порядок: «Заказать в боте» → «Касса: готов» → «Моя карта» → «Выдать на кассе». То же можно сделать на экране кассы (список заказов справа). Сделку видно в портале.',
						en: 'In order: "Order in the bot" → "Counter: ready" → "My card" → "Hand over at the counter". The counter screen does the same (the pickup list on the right). The deal is in the portal.',
					},
					links: screenLinks(probe),
				}
			: {
					state: 'partial',
					note: {
						ru: 'Приложение Nitka не установлено в портал: каталога Битрикс24 нет, и бот не примет заказ.',
						en: 'The Nitka app is not installed in the portal: there is no Bitrix24 catalog, and the bot takes no order.',
					},
				},
});

export const returnScene = defineScene({
	title: { ru: 'Путь 3: жалоба и возврат по QR', en: 'Journey 3: a complaint, a return by QR' },
	about: {
		ru: 'Клиент пишет /return в Telegram, выбирает заказ и описывает проблему; менеджеру в Битрикс24 ставится задача; он завершает её — клиенту приходит QR возврата; касса сканирует его и принимает товар, задача закрывается, клиенту приходит подтверждение.',
		en: 'The customer sends /return in Telegram, picks the order and says what happened; the manager gets a Bitrix24 task; completing it sends the customer a return QR; the counter scans it and takes the goods back, the task is closed, and the customer is told.',
	},
	actions: ['return.request', 'return.approve', 'counter.accept-return'],
	status: ({ portal }) => ({
		state: portal.app ? 'ready' : 'partial',
		note: portal.app
			? {
					ru: 'Заказ для возврата: например, заказ Ozon, привязанный к Telegram вкладышем (сцена маркетплейсов); без заказов бот сразу спросит причину. Задачу видно в портале; «через API» — одобрение магазином без Битрикс24.',
					en: 'An order to return: e.g. an Ozon order joined to Telegram by its parcel insert (the marketplace scene); without orders the bot asks for the reason at once. The task is in the portal; "via the API" is the shop approving without Bitrix24.',
				}
			: {
					ru: 'Приложение Nitka не установлено в портал: задачи в Битрикс24 не будет, одобряйте «через API».',
					en: 'The Nitka app is not installed in the portal: there is no Bitrix24 task; approve "via the API".',
				},
	}),
});
