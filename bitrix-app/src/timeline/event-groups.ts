import type { EventChannel, EventType } from '../api/types.ts';
import type { MessageKey } from '../i18n/i18n.ts';

/** The type filter's groups: what a person looks for, mapped onto event types. */
export const eventGroups = {
	messages: ['message.in', 'message.out', 'channel.blocked', 'channel.unblocked'],
	orders: ['order.created', 'order.status_changed'],
	counter: ['pos.visit', 'pos.purchase', 'pos.pickup', 'pos.return', 'promo.issued', 'promo.redeemed'],
	profile: [
		'consent.given',
		'consent.withdrawn',
		'customer.merged',
		'customer.unmerged',
		'identity.linked',
		'identity.unlinked',
		'note',
	],
} as const satisfies Record<string, readonly EventType[]>;

export type EventGroup = keyof typeof eventGroups;

export const groupLabels: Record<EventGroup, MessageKey> = {
	messages: 'timeline.filter.messages',
	orders: 'timeline.filter.orders',
	counter: 'timeline.filter.counter',
	profile: 'timeline.filter.profile',
};

/** Channels offered in the filter, in the order a shop thinks of them. */
export const filterChannels: readonly EventChannel[] = [
	'telegram',
	'vk',
	'max',
	'ozon',
	'wildberries',
	'yandex-market',
	'pos',
	'bitrix24',
	'nitka',
];
