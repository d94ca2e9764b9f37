import type { z as zod } from 'zod';
import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';
import type { DealSyncSchema } from './jobs.ts';
import type { Bitrix24RestClient } from './rest-client.ts';
import type { Bitrix24Settings } from './schemas.ts';

export const DEAL_RECORD = 'bitrix24-deal';

type DealOrder = Pick<zod.infer<typeof DealSyncSchema>, 'source' | 'orderId' | 'number' | 'status'> & {
	total?: string | undefined;
	currency?: string | undefined;
};

/** The deal's durable key (host_records and ORIGIN_ID): one deal per marketplace order. */
export const dealKey = (order: { source: string; orderId: string }) => `${order.source}:${order.orderId}`;

/**
 * `crm.deal.add` params; `contact` may be a batch reference (`$result[c1]`) to a contact created
 * earlier in the same batch.
 */
export function newDealParams(settings: Bitrix24Settings, order: DealOrder, contact: number | string) {
	const stage = stageFor(settings, order.source, order.status);
	return {
		fields: {
			TITLE: `${order.source} ${order.number}`,
			CATEGORY_ID: settings.deals.categoryId,
			...(stage ? { STAGE_ID: stage } : {}),
			CONTACT_IDS: [contact],
			...(order.total ? { OPPORTUNITY: order.total, CURRENCY_ID: order.currency ?? 'RUB' } : {}),
			ORIGINATOR_ID: 'nitka',
			ORIGIN_ID: dealKey(order),
		},
		params: { REGISTER_SONET_EVENT: 'N' },
	};
}

/** The stage for an order status: the admin's map for that marketplace, else the pipeline's defaults. */
export function stageFor(settings: Bitrix24Settings, source: string, status: string): string | undefined {
	const map = settings.deals.stages[source as keyof Bitrix24Settings['deals']['stages']];
	const mapped = map?.[status];
	if (mapped) return mapped;
	const prefix = settings.deals.categoryId > 0 ? `C${settings.deals.categoryId}:` : '';
	const defaults: Record<string, string> = {
		created: 'NEW',
		awaiting_packaging: 'PREPARATION',
		awaiting_shipment: 'PREPAYMENT_INVOICE',
		shipped: 'EXECUTING',
		ready_for_pickup: 'FINAL_INVOICE',
		delivered: 'WON',
		cancelled: 'LOSE',
		returned: 'LOSE',
	};
	return defaults[status] ? `${prefix}${defaults[status]}` : undefined;
}

/**
 * An order's deal: created once (our record, else a deal we made earlier by ORIGIN_ID, in case a
 * crash lost the record) in the configured pipeline, then moved to the mapped stage on every
 * status change.
 */
export async function syncDeal(
	client: Bitrix24RestClient,
	links: HostLinks,
	settings: Bitrix24Settings,
	contactId: string,
	order: zod.infer<typeof DealSyncSchema>,
): Promise<string> {
	const tenantId = client.portal.tenantId;
	const key = dealKey(order);
	const stage = stageFor(settings, order.source, order.status);
	const record = await links.getRecord(tenantId, DEAL_RECORD, key);
	let dealId = record?.remoteId ?? null;
	if (!dealId) {
		const ours = await client.call(
			'crm.deal.list',
			{ filter: { ORIGINATOR_ID: 'nitka', ORIGIN_ID: key }, select: ['ID'] },
			z.array(z.object({ ID: z.coerce.string() })),
		);
		dealId = ours[0]?.ID ?? null;
	}
	if (!dealId) {
		dealId = await client.call(
			'crm.deal.add',
			newDealParams(settings, order, Number(contactId)),
			z.coerce.string(),
		);
	} else if (stage && record?.data.stage !== stage) {
		await client.call('crm.deal.update', { id: dealId, fields: { STAGE_ID: stage } }, z.unknown());
	}
	await links.putRecord(tenantId, DEAL_RECORD, key, dealId, { stage: stage ?? null, status: order.status });
	return dealId;
}
