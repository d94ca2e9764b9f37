import { defineScene } from './define-scene.ts';

const ready = () => ({ state: 'ready' as const });

export const telegramScene = defineScene({
	title: { ru: 'Написать в Telegram', en: 'Write in Telegram' },
	about: {
		ru: 'Клиент пишет боту магазина; коннектор забирает сообщение long polling-ом.',
		en: "The customer writes to the shop's bot; the connector picks it up by long polling.",
	},
	actions: ['telegram.write'],
	status: ready,
});

export const phoneScene = defineScene({
	title: { ru: 'Поделиться телефоном в Telegram', en: 'Share a phone in Telegram' },
	about: {
		ru: 'Кнопка «Поделиться контактом»: свой номер подтверждает телефон клиента.',
		en: "The share-contact button: the customer's own number proves their phone.",
	},
	actions: ['telegram.share-phone'],
	status: ready,
});

export const vkScene = defineScene({
	title: { ru: 'Написать во ВКонтакте', en: 'Write in VK' },
	about: {
		ru: 'Клиент пишет в сообщения сообщества; коннектор читает Bots Long Poll.',
		en: "The customer writes to the community's messages; the connector reads Bots Long Poll.",
	},
	actions: ['vk.write'],
	status: ready,
});

export const maxScene = defineScene({
	title: { ru: 'Написать в MAX', en: 'Write in MAX' },
	about: { ru: 'Клиент пишет боту в MAX.', en: 'The customer writes to the MAX bot.' },
	actions: ['max.write'],
	status: ready,
});

export const deepLinkScene = defineScene({
	title: { ru: 'Перейти по ссылке магазина', en: 'Follow a deep link' },
	about: {
		ru: 'Магазин даёт знакомому клиенту ссылку; он открывает её в другом мессенджере — и это тот же клиент.',
		en: 'The shop gives a known customer a link; they open it in another messenger and stay one customer.',
	},
	actions: ['deep-link.follow'],
	status: ready,
});

export const timelineScene = defineScene({
	title: { ru: 'Единая лента клиента', en: 'Unified customer timeline' },
	about: {
		ru: 'Что видит магазин: клиент, его идентификаторы и лента из API коннектора; ответ уходит туда, откуда клиент писал.',
		en: "What the shop sees: the customer, their identifiers and timeline from the connector's API; a reply goes where they wrote from.",
	},
	actions: ['shop.reply'],
	status: ready,
});
