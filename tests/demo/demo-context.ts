import type { ConnectorApi } from './connector/connector-api.ts';
import type { DemoPortal } from './hosts/bitrix24-portal.ts';
import type { MarketplaceDesks } from './marketplaces/registry.ts';
import type { DemoPlatforms } from './platforms/start-platforms.ts';
import type { DemoCounter } from './seed/demo-counter.ts';

/** What every demo action and view works with. */
export interface DemoContext {
	platforms: DemoPlatforms;
	/** The connector's API as the demo Bitrix24 tenant (the shop the messengers are connected to). */
	api: ConnectorApi;
	marketplaces: MarketplaceDesks;
	/** The emulated Bitrix24 portal with the Nitka app. */
	portal: DemoPortal;
	/** The shop's store and pickup point, each with a paired counter tablet (its key in memory only). */
	counter: DemoCounter;
	/** Journey 2: the VK campaign the shop issues codes of. */
	promo: { campaignId: string };
}
