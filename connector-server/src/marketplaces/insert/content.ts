/** What one printed insert shows. No buyer name or phone: the parcel passes through many hands. */
export interface InsertPage {
	shopName: string;
	orderNumber: string;
	/** The order's source, e.g. `ozon`. */
	source: string;
	/** The deep link the QR carries. */
	url: string;
	channel: string;
	expiresAt: number;
}

export interface InsertLink {
	channel: string;
	url: string;
}

// Telegram first (the most used messenger with deep-link payloads), then VK, then MAX.
const PREFERENCE = ['telegram', 'vk', 'max'];

/** The link the QR carries: the most preferred connected messenger, or none. */
export function chooseLink<T extends InsertLink>(links: readonly T[]): T | undefined {
	for (const channel of PREFERENCE) {
		const hit = links.find((link) => link.channel === channel);
		if (hit) return hit;
	}
	return links[0];
}

const SOURCES: Record<string, string> = {
	ozon: 'Ozon',
	wildberries: 'Wildberries',
	'yandex-market': 'Яндекс Маркет',
	woocommerce: 'WooCommerce',
	bitrix24: 'Bitrix24',
};

export function sourceLabel(source: string): string {
	return SOURCES[source] ?? source;
}

/** The caption in Russian and English; a MAX-only shop must not promise Telegram or VK. */
export function captionsFor(channel: string): { ru: string; en: string } {
	const where = channel === 'max' ? 'MAX' : 'Telegram / VK';
	return { ru: `Следите за заказом в ${where}`, en: `Track this order in ${where}` };
}
