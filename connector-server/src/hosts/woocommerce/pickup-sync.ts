import { z } from 'zod';
import type { HostEventMapper } from '../../core/ports/host-intake.ts';
import type { OutboxHandler, OutboxJobInput } from '../../core/ports/outbound.ts';
import type { WooCommerceCatalog, WooPickupMove } from './catalog.ts';

/**
 * The WooCommerce order follows its pickup: when the counter marks a WooCommerce order ready, the
 * order turns "Ready for pickup" in the shop; when the customer collects it, "Completed"; a
 * cancelled pickup cancels it. The counter's `order.status_changed` events (channel `pos`, the
 * order's own `source`) become outbox jobs; changes that came from the shop itself (channel
 * `woocommerce`) are never echoed back. One job per order and move (dedupe key), delivered in
 * order per order; the plugin answers a repeated move with "unchanged".
 */
export const PICKUP_JOB_KIND = 'woocommerce.pickup';

const moves: Partial<Record<string, WooPickupMove>> = {
	ready_for_pickup: 'ready',
	delivered: 'collected',
	cancelled: 'cancelled',
};

const PickupJobSchema = z.object({
	orderId: z.string().regex(/^\d{1,15}$/),
	to: z.enum(['ready', 'collected', 'cancelled']),
	location: z.string().max(200).optional(),
});
export type PickupJob = z.infer<typeof PickupJobSchema>;

export const mapPickupEvents: HostEventMapper = (stored) => {
	const jobs: OutboxJobInput[] = [];
	for (const { event } of stored) {
		if (event.type !== 'order.status_changed' || event.channel === 'woocommerce') continue;
		const data = event.data as { source?: string; orderId?: string; to?: string };
		const to = data.to ? moves[data.to] : undefined;
		if (data.source !== 'woocommerce' || !to || !data.orderId || !/^\d{1,15}$/.test(data.orderId)) continue;
		const payload: PickupJob = { orderId: data.orderId, to };
		jobs.push({
			kind: PICKUP_JOB_KIND,
			target: `woocommerce:order:${data.orderId}`,
			payload,
			dedupeKey: `woocommerce:pickup:${data.orderId}:${to}`,
			maxAttempts: 12,
		});
	}
	return jobs;
};

export function createPickupHandler(
	catalog: Pick<WooCommerceCatalog, 'moveOrder'>,
): OutboxHandler<PickupJob> {
	return {
		parse: (payload) => PickupJobSchema.parse(payload),
		limits: (_payload, context) => [
			{ key: `woocommerce:tenant:${context.tenantId}`, capacity: 4, perSecond: 2 },
		],
		async deliver(payload, context) {
			await catalog.moveOrder(context.tenantId, payload.orderId, payload.to, payload.location);
		},
	};
}
