import { defineScene } from './define-scene.ts';

export const marketplaceScene = defineScene({
	title: { ru: 'Заказ на маркетплейсе', en: 'A marketplace order' },
	about: {
		ru: 'Клиент заказывает на Ozon, Wildberries или Яндекс Маркете; статус двигает маркетплейс или продавец.',
		en: 'The customer orders on Ozon, Wildberries or Yandex Market; the marketplace or the seller moves its status.',
	},
	actions: ['marketplace.place-order', 'marketplace.advance-order', 'marketplace.follow-insert'],
	// The connector polls the emulators (connected through its marketplaces API) every second.
	status: () => ({
		state: 'ready',
		note: {
			ru: 'Заказ и каждый новый статус появляются в ленте покупателя (Ozon rFBS и Яндекс Маркет называют покупателя). «Вкладыш» — ссылка из посылки: клиент открывает её в Telegram, и заказ попадает в его ленту.',
			en: 'The order and each new status reach the buyer\'s timeline (Ozon rFBS and Yandex Market name the buyer). "Insert" is the link in the parcel: the customer opens it in Telegram and the order joins their timeline.',
		},
	}),
});
