import { z } from 'zod';
import type { MarketplaceAdapter } from '../../core/ports/marketplace.ts';
import { createYmClient } from './client.ts';
import { parseYandexMarket } from './parse.ts';
import { ymPush } from './push.ts';
import { createYmSync } from './sync.ts';

const Fields = z.object({
	apiKey: z.string(),
	businessId: z.number().int().positive(),
	campaignIds: z.array(z.number().int().positive()).optional(),
});

/** Yandex Market: Api-Key + business id, the v1 business orders API, API notifications. */
export function createYandexMarketAdapter(baseUrl?: string): MarketplaceAdapter {
	return {
		marketplace: 'yandex-market',
		credentials(input) {
			const { apiKey, businessId, campaignIds } = Fields.parse(input);
			return { credentials: { apiKey }, settings: { businessId, ...(campaignIds ? { campaignIds } : {}) } };
		},
		async verify(connection) {
			// One order of the business: proves the key and that it may read this business's orders.
			const businessId = Number(connection.settings.businessId);
			const day = new Date().toISOString().slice(0, 10);
			await createYmClient(connection, baseUrl).orders(
				businessId,
				{ dates: { creationDateFrom: day, creationDateTo: day } },
				'',
				1,
			);
			return { name: `Yandex Market ${businessId}`, settings: {} };
		},
		sync: (ctx) => createYmSync(ctx, baseUrl),
		parse: parseYandexMarket,
		push: ymPush,
	};
}
