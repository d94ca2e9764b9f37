import type { IdentifierInput } from '@nitka/shared';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import type { OrderObservation } from '../../core/ports/marketplace.ts';
import { buyerCompany } from '../common/buyer-company.ts';
import { money } from '../common/page-key.ts';
import { wildberriesLifecycle } from '../lifecycle.ts';
import { WbOrderSchema, WbPageSchema } from './schemas.ts';

/**
 * A stored Wildberries page → observations. WB names no buyer id: DBS gives a name (shown, never
 * matched) and substitute phones (never read); business buyers give an INN, a real identifier.
 */
export function parseWildberries(payload: unknown): OrderObservation[] {
	const parsed = WbPageSchema.safeParse(payload);
	if (!parsed.success) throw new UnparseablePayloadError('not a Wildberries page');
	const page = parsed.data;
	const statuses = new Map(page.statuses.map((s) => [s.id, s]));
	const clients = new Map(page.clients.map((c) => [c.orderID, c]));
	const b2b = new Map(page.b2b.map((b) => [b.orderID, b]));
	return page.orders.map((raw) => {
		const o = WbOrderSchema.parse(raw);
		const status = statuses.get(o.id);
		const client = clients.get(o.id);
		const business = b2b.get(o.id);
		const company = business
			? buyerCompany({ inn: business.inn, kpp: business.kpp, name: business.orgName })
			: undefined;
		const identifiers: IdentifierInput[] = company ? [{ type: 'inn', value: company.inn }] : [];
		const name = business?.orgName || client?.fullName || client?.firstName || undefined;
		const createdAt = Date.parse(o.createdAt);
		const price = money((o.price ?? 0) / 100);
		return {
			externalId: String(o.id),
			number: String(o.id),
			status: status ? wildberriesLifecycle(status.supplierStatus, status.wbStatus) : null,
			rawStatus: status ? `${status.supplierStatus}/${status.wbStatus}` : '',
			statusAt: page.fetchedAt,
			createdAt: Number.isNaN(createdAt) ? page.fetchedAt : createdAt,
			...(identifiers.length > 0 || name
				? { buyer: { identifiers, name, ...(company ? { company } : {}) } }
				: {}),
			items: [
				{
					...(o.nmId === undefined ? {} : { sku: String(o.nmId) }),
					name: o.article || String(o.nmId ?? o.id),
					quantity: 1,
					price,
				},
			],
			total: price,
			currency: 'RUB',
		};
	});
}
