import { z } from 'zod';
import type { MarketplaceAdapter } from '../../core/ports/marketplace.ts';
import { createWbClient } from './client.ts';
import { parseWildberries } from './parse.ts';
import { createWbSync } from './sync.ts';

const Fields = z.object({ token: z.string() });

/** Wildberries: one API token, FBS and DBS assembly tasks; WB pushes nothing, so it is polled only. */
export function createWildberriesAdapter(baseUrl?: string): MarketplaceAdapter {
	return {
		marketplace: 'wildberries',
		credentials(input) {
			return { credentials: { token: Fields.parse(input).token }, settings: {} };
		},
		async verify(connection) {
			// orders/new: no parameters, within the same order-methods budget the poller uses.
			await createWbClient(connection, baseUrl).newOrders();
			return { name: 'Wildberries', settings: {} };
		},
		sync: (ctx) => createWbSync(ctx, baseUrl),
		parse: parseWildberries,
	};
}
