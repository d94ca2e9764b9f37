import { z } from 'zod';
import type { MarketplaceAdapter } from '../../core/ports/marketplace.ts';
import { createOzonClient, isMissingEndpoint } from './client.ts';
import { parseOzon } from './parse.ts';
import { ozonPush } from './push.ts';
import { createOzonSync } from './sync.ts';

const Fields = z.object({ clientId: z.string(), apiKey: z.string() });

/** Ozon: Client-Id + Api-Key, FBS/rFBS and FBO posting lists, push notifications. */
export function createOzonAdapter(baseUrl?: string): MarketplaceAdapter {
	return {
		marketplace: 'ozon',
		credentials(input) {
			const { clientId, apiKey } = Fields.parse(input);
			return { credentials: { clientId, apiKey }, settings: { clientId } };
		},
		async verify(connection) {
			// The cheapest authenticated call the seller's key surely has a role for: one posting of the last day.
			const client = createOzonClient(connection, baseUrl);
			const day = { since: Date.now() - 86_400_000, to: Date.now() };
			try {
				await client.fbsV4(day, '', 1);
			} catch (error) {
				if (!isMissingEndpoint(error)) throw error;
				await client.fbsV3(day, 0, 1);
			}
			return { name: `Ozon ${connection.credentials.clientId}`, settings: {} };
		},
		sync: (ctx) => createOzonSync(ctx, baseUrl),
		parse: parseOzon,
		push: ozonPush,
	};
}
