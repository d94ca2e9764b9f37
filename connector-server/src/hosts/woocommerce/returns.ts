import { z } from 'zod';
import type { HostEventMapper } from '../../core/ports/host-intake.ts';
import type { OutboxHandler, OutboxJobInput } from '../../core/ports/outbound.ts';
import type { ReturnTickets } from '../../core/ports/returns.ts';
import type { WooCommerceSiteDirectory } from '../../core/ports/woocommerce-sites.ts';
import { callPlugin, type PluginCallOptions, SiteUnavailableError } from './plugin-api.ts';

/**
 * Journey 3 on WooCommerce: the order the customer returns shows each step as a private order
 * note — asked for (with the reason), approved, received at the counter — and the received goods
 * turn it "Refunded" (the plugin's `POST /connector/orders/<id>/return`, applied once per step).
 * WooCommerce sends no approval event: the shop approves with `POST /returns/:id/approve`.
 */
export const RETURN_JOB_KIND = 'woocommerce.return';

const WC_ID = /^\d{1,15}$/;
const RECEIVED_KEY = /^return:received:(.+):order$/;

const ReturnJobSchema = z.object({
	returnId: z.string().min(1).max(100),
	step: z.enum(['requested', 'approved', 'rejected', 'received']),
});
export type WooReturnJob = z.infer<typeof ReturnJobSchema>;

const StepAnswerSchema = z.object({ orderId: z.string(), status: z.string(), changed: z.boolean() });

const job = (payload: WooReturnJob): OutboxJobInput => ({
	kind: RETURN_JOB_KIND,
	// One target per return: its steps reach the shop in order.
	target: `woocommerce:return:${payload.returnId}`,
	dedupeKey: `woocommerce:return:${payload.returnId}:${payload.step}`,
	payload,
	maxAttempts: 12,
});

/** Returns of WooCommerce orders: requested, approved, rejected (by `orderSource`), received (the order turning `returned`). */
export const mapReturnEvents: HostEventMapper = (stored) => {
	const jobs: OutboxJobInput[] = [];
	for (const { event } of stored) {
		const data = event.data as { returnId?: string; orderSource?: string; source?: string; to?: string };
		if (
			event.type === 'return.requested' ||
			event.type === 'return.approved' ||
			event.type === 'return.rejected'
		) {
			if (data.orderSource !== 'woocommerce' || !data.returnId) continue;
			jobs.push(
				job({ returnId: data.returnId, step: event.type.slice('return.'.length) as WooReturnJob['step'] }),
			);
		} else if (
			event.type === 'order.status_changed' &&
			data.source === 'woocommerce' &&
			data.to === 'returned'
		) {
			const returnId = RECEIVED_KEY.exec(event.sourceKey)?.[1];
			if (returnId) jobs.push(job({ returnId, step: 'received' }));
		}
	}
	return jobs;
};

export function createReturnHandler(
	sites: Pick<WooCommerceSiteDirectory, 'byTenant'>,
	returns: ReturnTickets,
	options: PluginCallOptions,
): OutboxHandler<WooReturnJob> {
	return {
		parse: (payload) => ReturnJobSchema.parse(payload),
		limits: (_payload, context) => [
			{ key: `woocommerce:tenant:${context.tenantId}`, capacity: 4, perSecond: 2 },
		],
		async deliver(payload, context) {
			const info = await returns.info(context.tenantId, payload.returnId);
			const order = info?.order;
			if (!info || order?.source !== 'woocommerce' || !WC_ID.test(order.externalId)) return;
			const site = await sites.byTenant(context.tenantId);
			if (!site) throw new SiteUnavailableError('no WooCommerce shop is paired with this tenant');
			const body = {
				returnId: info.returnId,
				number: info.number,
				step: payload.step,
				...(payload.step === 'requested' && info.reason ? { reason: info.reason.slice(0, 2000) } : {}),
				...(payload.step === 'received' && info.receivedAt?.location
					? { location: info.receivedAt.location.slice(0, 200) }
					: {}),
			};
			await callPlugin(site, `/orders/${order.externalId}/return`, body, StepAnswerSchema, options);
			if (payload.step === 'requested' && !info.ticket) {
				await returns.recordTicket(context.tenantId, info.returnId, {
					host: 'woocommerce',
					id: `order:${order.externalId}`,
					url: null,
				});
			}
		},
		// The request never reached the shop's order: the customer hears the shop will come back,
		// staff get a note (later steps' dead letters stay listed for staff only).
		async onDead(payload, context, tx) {
			if (payload.step !== 'requested') return [];
			return await returns.ticketFailed(tx, context.tenantId, payload.returnId, {
				...context,
				host: 'WooCommerce',
			});
		},
	};
}
