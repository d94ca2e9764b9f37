import { type ConnectMarketplaceRequest, MarketplaceConnectionSchema } from '@nitka/shared';
import { z } from 'zod';
import { ozonDefaultCredentials } from '../../emulators/ozon/index.ts';
import { wbDefaultToken } from '../../emulators/wildberries/index.ts';
import { ymDefaults } from '../../emulators/yandex-market/index.ts';
import type { ConnectorApi } from '../connector/connector-api.ts';

const ListSchema = z.object({ items: z.array(MarketplaceConnectionSchema) });

/** The demo shop's seller keys: the emulators' own, fixed, so a connection an earlier run made still works. */
const sellerKeys: ConnectMarketplaceRequest[] = [
	{ marketplace: 'ozon', clientId: ozonDefaultCredentials.clientId, apiKey: ozonDefaultCredentials.apiKey },
	{ marketplace: 'wildberries', token: wbDefaultToken },
	{ marketplace: 'yandex-market', apiKey: ymDefaults.apiKey, businessId: ymDefaults.businessId },
];

/**
 * Connects Ozon, Wildberries and Yandex Market through the connector's marketplaces API, as a shop
 * would from the app's settings; the connector then polls them (the demo passes a short interval).
 * A connection an earlier run made is kept. No push URLs: the demo's connector has no PUBLIC_URL
 * (its channels long-poll), so the connections API offers none and polling alone brings the orders.
 */
export async function ensureDemoMarketplaces(api: ConnectorApi): Promise<void> {
	const { items } = await api.call('GET', '/marketplaces', ListSchema);
	for (const keys of sellerKeys) {
		if (items.some((c) => c.marketplace === keys.marketplace && c.connection.status === 'active')) continue;
		await api.call('POST', '/marketplaces', MarketplaceConnectionSchema, keys);
	}
}
