import { describe, expect, it } from 'vitest';
import type { ReturnTickets } from '../../../../../connector-server/src/core/ports/returns.ts';
import type { Db } from '../../../../../connector-server/src/db/database.ts';
import { createReturnHandler } from '../../../../../connector-server/src/hosts/woocommerce/returns.ts';

// A `woocommerce.return` job that dies for good: only the request step (the shop never heard of the
// return) tells the customer and notes it, through the returns core; later steps stay dead letters.
describe('WooCommerce return job dead letters', () => {
	it('hands a dead request step to the returns core, in the parking transaction', async () => {
		const calls: unknown[][] = [];
		const tickets = {
			ticketFailed: async (...args: unknown[]) => {
				calls.push(args);
				return [{ kind: 'message.send', target: 't', payload: {} }];
			},
		} as unknown as ReturnTickets;
		const handler = createReturnHandler({ byTenant: async () => null }, tickets, { now: () => 0 });
		const tx = {} as Db;
		const context = { id: 'job-1', tenantId: 'ten-1', target: 'x', attempt: 3, attempts: 3, error: 'down' };
		const requested = handler.parse({ returnId: 'ret-1', step: 'requested' });
		expect(await handler.onDead?.(requested, context, tx)).toHaveLength(1);
		expect(calls).toEqual([[tx, 'ten-1', 'ret-1', { ...context, host: 'WooCommerce' }]]);
		const approved = handler.parse({ returnId: 'ret-1', step: 'approved' });
		expect(await handler.onDead?.(approved, context, tx)).toEqual([]);
		expect(calls).toHaveLength(1);
	});
});
