import { z } from 'zod';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';
import type { MarketplaceDesk } from './marketplace-desk.ts';
import { ozonDesk } from './ozon-desk.ts';
import { wildberriesDesk } from './wildberries-desk.ts';
import { yandexMarketDesk } from './yandex-market-desk.ts';

export const MarketplaceIdSchema = z.enum(['ozon', 'wildberries', 'yandex-market']);
export type MarketplaceId = z.infer<typeof MarketplaceIdSchema>;
export type MarketplaceDesks = Record<MarketplaceId, MarketplaceDesk>;

/** Every marketplace of the demo, by id. Adding one is a desk, its id above and a line here. */
export function createMarketplaceDesks(platforms: DemoPlatforms): MarketplaceDesks {
	return {
		ozon: ozonDesk(platforms.ozon),
		wildberries: wildberriesDesk(platforms.wildberries),
		'yandex-market': yandexMarketDesk(platforms.yandexMarket),
	};
}
