import { z } from 'zod';

/** GET /api/v3/orders and /api/v3/dbs/orders query: limit 1–1000 and next required, dates in unix seconds. */
export const orderListQuery = z.object({
	limit: z.coerce.number().int().min(1).max(1000),
	next: z.coerce.number().int().min(0),
	dateFrom: z.coerce.number().int().min(0).optional(),
	dateTo: z.coerce.number().int().min(0).optional(),
});

/** `{"orders": [ids]}` — status, client and b2b lookups take at most 1000 ids. */
export const orderIdsBody = z.object({ orders: z.array(z.number().int()).min(1).max(1000) });

/** The DBS status/info successor names its list `ordersIds` in some clients; both are accepted (UNVERIFIED). */
export const dbsStatusInfoBody = z
	.object({ orders: z.array(z.number().int()).max(1000), ordersIds: z.array(z.number().int()).max(1000) })
	.partial()
	.refine((b) => (b.orders ?? b.ordersIds ?? []).length > 0, { message: 'orders: at least one id' });
