import { __, sprintf } from '@wordpress/i18n';

export const channelLabels = {
	telegram: 'Telegram',
	vk: 'VK',
	max: 'MAX',
	ozon: 'Ozon',
	wildberries: 'Wildberries',
	'yandex-market': 'Yandex Market',
	pos: __('Counter', 'nitka'),
	bitrix24: 'Bitrix24',
	woocommerce: 'WooCommerce',
	nitka: 'Nitka',
};

/** Identifier types as people say them. */
export const identityLabels = {
	phone: __('Phone', 'nitka'),
	email: __('Email', 'nitka'),
	woocommerce_customer: __('Shop account', 'nitka'),
	telegram: 'Telegram',
	vk: 'VK',
	max: 'MAX',
	loyalty_card: __('Loyalty card', 'nitka'),
	bitrix24_contact: __('Bitrix24 contact', 'nitka'),
	ozon_buyer: __('Ozon buyer', 'nitka'),
	wildberries_buyer: __('Wildberries buyer', 'nitka'),
	yandex_market_buyer: __('Yandex Market buyer', 'nitka'),
	// A company bought (a marketplace's business buyer): its taxpayer number.
	inn: __('INN', 'nitka'),
};

/** A dashicon per channel, so the timeline scans at a glance. */
export const channelIcons = {
	telegram: 'dashicons-format-chat',
	vk: 'dashicons-groups',
	max: 'dashicons-format-status',
	ozon: 'dashicons-store',
	wildberries: 'dashicons-store',
	'yandex-market': 'dashicons-store',
	pos: 'dashicons-location',
	bitrix24: 'dashicons-id',
	woocommerce: 'dashicons-cart',
	nitka: 'dashicons-admin-users',
};

const statusLabels = {
	created: __('created', 'nitka'),
	awaiting_packaging: __('being packed', 'nitka'),
	awaiting_shipment: __('awaiting shipment', 'nitka'),
	shipped: __('shipped', 'nitka'),
	ready_for_pickup: __('ready for pickup', 'nitka'),
	delivered: __('delivered', 'nitka'),
	cancelled: __('cancelled', 'nitka'),
	returned: __('returned', 'nitka'),
};

const money = (value, currency) => (value === undefined ? '' : `${value} ${currency ?? ''}`.trim());

/** One line of plain text for an event; React escapes it, so customer text stays text. */
export function describe(event) {
	const d = event.data ?? {};
	switch (event.type) {
		case 'message.in':
			return d.text ?? __('(attachment)', 'nitka');
		case 'message.out':
			return d.text ?? __('(attachment)', 'nitka');
		case 'order.created':
			return sprintf(
				/* translators: 1: order number, 2: total, 3: status */
				__('Order #%1$s, %2$s — %3$s', 'nitka'),
				d.number,
				money(d.total, d.currency),
				statusLabels[d.status] ?? d.rawStatus,
			);
		case 'order.status_changed':
			/* translators: 1: order number, 2: new status */
			return sprintf(__('Order #%1$s is %2$s', 'nitka'), d.number, statusLabels[d.to] ?? d.rawStatus);
		case 'note':
			return d.text;
		case 'customer.merged':
			return __('Two records of this customer were joined', 'nitka');
		case 'identity.linked':
			/* translators: 1: identifier type, 2: masked value */
			return sprintf(__('Linked %1$s %2$s', 'nitka'), identityLabels[d.type] ?? d.type, d.value);
		default:
			return event.type;
	}
}

export function when(iso) {
	return new Date(iso).toLocaleString();
}
