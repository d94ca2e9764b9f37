import { z } from 'zod';
import {
	type HostCatalog,
	type HostOrder,
	type HostOrderInput,
	HostOrderRefusedError,
	type HostProduct,
	type ProductQuery,
} from '../../core/ports/host-catalog.ts';
import type { HostLinks } from '../../core/ports/host-links.ts';
import type { ClientPool } from './client-pool.ts';
import { ensureContact } from './crm-contacts.ts';
import { DEAL_RECORD, dealKey, stageFor } from './crm-deals.ts';
import { Bitrix24ApiError, toDeliveryError } from './errors.ts';
import type { PortalLimits } from './rest-client.ts';
import type { Bitrix24Settings } from './schemas.ts';

/**
 * Journey 1 in Bitrix24: the shop's products are the CRM catalog's (`crm.product.list`, scope
 * `crm`, which the app has; the default catalog unless the settings' `catalog.catalogId` names
 * another; product links from `catalog.productUrl`), a chat pickup order is a deal with product rows (`crm.deal.add` bound to the
 * customer's contact, then `crm.deal.productrows.set`).
 *
 * The Nitka order is a `chat` order (its id is the chat order's key) and the deal is its host
 * record, exactly like a marketplace order's: `ORIGIN_ID` = `chat:<key>`, so the Bitrix24 reactor's
 * deal sync (`crm-deals.ts`) finds this deal and moves its stage as the counter moves the order
 * (ready → `FINAL_INVOICE`, collected → `WON` by default).
 */

/** Bitrix24 renders money as strings ("1990.00") in old methods, numbers in some answers. */
const Money = z.union([z.string(), z.number()]).transform((value, ctx) => {
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0) {
		ctx.addIssue({ code: 'custom', message: 'not a price' });
		return z.NEVER;
	}
	return n.toFixed(2);
});

export const Bitrix24ProductSchema = z.object({
	ID: z.coerce.string(),
	NAME: z.string().min(1),
	PRICE: Money.nullable().optional(),
	CURRENCY_ID: z.string().nullable().optional(),
	ACTIVE: z.string().nullable().optional(),
});
export type Bitrix24Product = z.infer<typeof Bitrix24ProductSchema>;

const PAGE = 50;
const SELECT = ['ID', 'NAME', 'PRICE', 'CURRENCY_ID', 'ACTIVE'];

export interface Bitrix24CatalogDeps {
	pool: ClientPool;
	links: HostLinks;
	limits: PortalLimits;
	/** The portal's settings (the admin's deal choices and the catalog's). */
	settings: (tenantId: string) => Promise<Bitrix24Settings>;
}

export function createBitrix24Catalog(deps: Bitrix24CatalogDeps): HostCatalog {
	const failure = (error: unknown) => toDeliveryError(error, deps.limits.drainPerSecond);

	function toProduct(row: Bitrix24Product, productUrl: string | undefined): HostProduct | null {
		if (row.ACTIVE === 'N' || row.PRICE === null || row.PRICE === undefined) return null;
		return {
			id: row.ID,
			name: row.NAME,
			price: row.PRICE,
			currency: row.CURRENCY_ID || 'RUB',
			url: productUrl ? productUrl.replace('{id}', encodeURIComponent(row.ID)) : null,
		};
	}

	async function catalogSettings(tenantId: string) {
		return (await deps.settings(tenantId)).catalog ?? {};
	}

	return {
		host: 'bitrix24',
		// The portal's one bucket, shared with every other Bitrix24 job (handlers.ts).
		limits: (tenantId: string) => [
			{
				key: `bitrix24:portal:${tenantId}`,
				capacity: deps.limits.burst,
				perSecond: deps.limits.drainPerSecond,
			},
		],

		async listProducts(tenantId: string, query: ProductQuery) {
			const perPage = Math.min(Math.max(query.perPage ?? 5, 1), PAGE);
			const page = Math.max(query.page ?? 1, 1);
			const { catalogId, productUrl } = await catalogSettings(tenantId);
			const filter: Record<string, unknown> = { ACTIVE: 'Y' };
			if (catalogId) filter.CATALOG_ID = catalogId;
			if (query.search?.trim()) filter['%NAME'] = query.search.trim().slice(0, 100);
			if (query.ids) filter.ID = query.ids.length > 0 ? query.ids : [0];
			// The portal pages by 50: read the page(s) of 50 that hold this chat page, and cut it.
			const offset = (page - 1) * perPage;
			const first = Math.floor(offset / PAGE) * PAGE;
			try {
				const client = await deps.pool.forTenant(tenantId);
				const rows: Bitrix24Product[] = [];
				let total: number | null = null;
				for (let start: number | null = first; start !== null && first + rows.length < offset + perPage; ) {
					const answer: { items: Bitrix24Product[]; total: number | null; next: number | null } =
						await client.callPage(
							'crm.product.list',
							{ order: { NAME: 'ASC', ID: 'ASC' }, filter, select: SELECT, start },
							Bitrix24ProductSchema,
						);
					rows.push(...answer.items);
					total = answer.total ?? total;
					start = answer.next;
				}
				total ??= first + rows.length;
				const products = rows
					.slice(offset - first, offset - first + perPage)
					.map((row) => toProduct(row, productUrl))
					.filter((p): p is HostProduct => p !== null);
				return { products, page, total, totalPages: Math.max(1, Math.ceil(total / perPage)) };
			} catch (error) {
				throw failure(error);
			}
		},

		async createOrder(tenantId: string, input: HostOrderInput): Promise<HostOrder> {
			try {
				return await createDeal(tenantId, input);
			} catch (error) {
				throw failure(error);
			}
		},
	};

	async function createDeal(tenantId: string, input: HostOrderInput): Promise<HostOrder> {
		const client = await deps.pool.forTenant(tenantId);
		const settings = await deps.settings(tenantId);
		const { catalogId } = await catalogSettings(tenantId);
		const order = { source: 'chat' as const, orderId: input.idempotencyKey };
		const key = dealKey(order);
		const stage = stageFor(settings, 'chat', 'created');

		// The products as the catalog has them now: price and name come from the host, not the chat.
		const ids = [...new Set(input.items.map((i) => i.productId))];
		const found = await client.call(
			'crm.product.list',
			{ filter: { ID: ids, ...(catalogId ? { CATALOG_ID: catalogId } : {}) }, select: SELECT },
			z.array(Bitrix24ProductSchema),
		);
		const byId = new Map(found.map((row) => [row.ID, toProduct(row, undefined)]));
		const record = await deps.links.getRecord(tenantId, DEAL_RECORD, key);
		let dealId = record?.remoteId ?? null;
		if (!dealId) {
			// A crash after crm.deal.add lost the record: our deal is found by its ORIGIN_ID.
			const ours = await client.call(
				'crm.deal.list',
				{ filter: { ORIGINATOR_ID: 'nitka', ORIGIN_ID: key }, select: ['ID'] },
				z.array(z.object({ ID: z.coerce.string() })),
			);
			dealId = ours[0]?.ID ?? null;
		}
		const gone = ids.filter((id) => !byId.get(id));
		if (gone.length > 0 && !dealId) {
			throw new HostOrderRefusedError(`products not available: ${gone.join(', ')}`, 'unavailable', gone);
		}
		const items = input.items.map((item) => {
			const product = byId.get(item.productId);
			return {
				productId: item.productId,
				name: product?.name ?? `#${item.productId}`,
				quantity: item.quantity,
				price: product?.price ?? '0.00',
				currency: product?.currency ?? 'RUB',
			};
		});
		const cents = items.reduce((sum, i) => sum + Math.round(Number(i.price) * 100) * i.quantity, 0);
		const total = (cents / 100).toFixed(2);
		const currency = items[0]?.currency ?? 'RUB';
		const where = input.pickup.address ? `${input.pickup.name}, ${input.pickup.address}` : input.pickup.name;

		if (!dealId) {
			dealId = await client.call(
				'crm.deal.add',
				{
					fields: {
						TITLE: `Заказ из чата: самовывоз, ${input.pickup.name}`.slice(0, 255),
						CATEGORY_ID: settings.deals.categoryId,
						...(stage ? { STAGE_ID: stage } : {}),
						CONTACT_IDS: [Number(await ensureContact(client, deps.links, input.customer.customerId))],
						OPPORTUNITY: total,
						CURRENCY_ID: currency,
						COMMENTS: `Самовывоз: ${where}. Заказ из чата (${input.channel}) через Nitka, оплата при получении.`,
						ORIGINATOR_ID: 'nitka',
						ORIGIN_ID: key,
					},
					params: { REGISTER_SONET_EVENT: 'N' },
				},
				z.coerce.string(),
			);
			await deps.links.putRecord(tenantId, DEAL_RECORD, key, dealId, {
				stage: stage ?? null,
				status: 'created',
			});
		}
		if (record?.data.rows !== true) {
			// Setting rows replaces them: a retry sets the same rows again.
			await client.call(
				'crm.deal.productrows.set',
				{
					id: Number(dealId),
					rows: items.map((i) => ({ PRODUCT_ID: Number(i.productId), PRICE: i.price, QUANTITY: i.quantity })),
				},
				z.unknown(),
			);
			await deps.links.putRecord(tenantId, DEAL_RECORD, key, dealId, {
				stage: stage ?? null,
				status: 'created',
				rows: true,
			});
		}
		return {
			source: 'chat',
			orderId: input.idempotencyKey,
			number: dealId,
			status: 'created',
			rawStatus: stage ?? 'NEW',
			total,
			currency,
			items: items.map(({ currency: _c, ...item }) => item),
			url: `https://${client.portal.domain}/crm/deal/details/${dealId}/`,
		};
	}
}

export { Bitrix24ApiError };
