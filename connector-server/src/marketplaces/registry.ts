import type { Marketplace } from '@nitka/shared';
import type { MarketplaceAdapter } from '../core/ports/marketplace.ts';
import { createOzonAdapter } from './ozon/index.ts';
import { createWildberriesAdapter } from './wildberries/index.ts';
import { createYandexMarketAdapter } from './yandex-market/index.ts';

/** Where each marketplace's API lives; tests, the benchmark and demo mode point these at the emulators. */
export type MarketplaceApiEndpoints = Partial<Record<Marketplace, string>>;

/** Every marketplace adapter, by marketplace. Adding one is one line here. */
export function createMarketplaceAdapters(
	endpoints: MarketplaceApiEndpoints = {},
): Record<Marketplace, MarketplaceAdapter> {
	return {
		ozon: createOzonAdapter(endpoints.ozon),
		wildberries: createWildberriesAdapter(endpoints.wildberries),
		'yandex-market': createYandexMarketAdapter(endpoints['yandex-market']),
	};
}
