import { asRecord, listResult, matches, paginate, requireId, sortRecords } from '../crm-query.ts';
import type { CrmRecord } from '../crm-store.ts';
import type { MethodContext, MethodGroup } from '../method-types.ts';
import type { PortalState } from '../portal-state.ts';
import { restErrors } from '../rest-envelope.ts';

/**
 * The CRM catalog's products (`crm.product.*`, scope `crm`) and a deal's product rows
 * (`crm.deal.productrows.set/get`), as the REST docs describe them:
 * - `crm.product.list` pages by 50 with `total`/`next`, filters with the CRM operators (`%NAME`,
 *   `ID` lists), reads the default catalog unless `CATALOG_ID` is given; values come back as
 *   strings like every old CRM method (`"ID":"7"`, `"PRICE":"1990.00"`), `PRICE` null when unset;
 * - `crm.deal.productrows.set` replaces every row of the deal, takes the name from the catalog
 *   when `PRODUCT_ID` is given, and recalculates the deal's `OPPORTUNITY`; answers `true`;
 * - `crm.deal.productrows.get` answers the rows with numbers as numbers (`OWNER_TYPE` `D`);
 * - errors are old-CRM style: HTTP 400 with an empty code ("Not found", "The parameter id is
 *   invalid or not defined.").
 */

export const DEFAULT_CATALOG_ID = 25;

export interface ProductRow {
	ID: number;
	OWNER_ID: number;
	OWNER_TYPE: 'D';
	PRODUCT_ID: number;
	PRODUCT_NAME: string;
	PRICE: number;
	QUANTITY: number;
	DISCOUNT_TYPE_ID: number;
	DISCOUNT_RATE: number;
	DISCOUNT_SUM: number;
	TAX_RATE: number | null;
	TAX_INCLUDED: 'Y' | 'N';
	MEASURE_CODE: number;
	MEASURE_NAME: string;
	SORT: number;
}

interface CatalogState {
	products: Map<number, CrmRecord>;
	rows: Map<number, ProductRow[]>;
	nextProductId: number;
	nextRowId: number;
}

const states = new WeakMap<PortalState, CatalogState>();

function stateOf(portal: PortalState): CatalogState {
	let state = states.get(portal);
	if (!state) {
		state = { products: new Map(), rows: new Map(), nextProductId: 1, nextRowId: 1 };
		states.set(portal, state);
	}
	return state;
}

/** Adds a product as a user would in the CRM catalog (tests seed with it). */
export function addProduct(
	portal: PortalState,
	fields: {
		NAME: string;
		PRICE?: number | null;
		CURRENCY_ID?: string;
		ACTIVE?: 'Y' | 'N';
		CATALOG_ID?: number;
	},
	now = Date.now(),
): number {
	const state = stateOf(portal);
	const id = state.nextProductId++;
	state.products.set(id, {
		entityTypeId: 0,
		ID: id,
		fields: {
			NAME: fields.NAME,
			PRICE: fields.PRICE ?? null,
			CURRENCY_ID: fields.CURRENCY_ID ?? 'RUB',
			ACTIVE: fields.ACTIVE ?? 'Y',
			CATALOG_ID: fields.CATALOG_ID ?? DEFAULT_CATALOG_ID,
			SORT: 500,
		},
		multi: [],
		createdMs: now,
		modifiedMs: now,
		createdBy: 1,
		modifiedBy: 1,
	});
	return id;
}

/** The portal's products by id (tests change them as a user would in the CRM). */
export function productsOf(portal: PortalState): Map<number, CrmRecord> {
	return stateOf(portal).products;
}

/** A deal's product rows (tests read them for assertions). */
export function dealProductRows(portal: PortalState, dealId: number): ProductRow[] {
	return stateOf(portal).rows.get(dealId) ?? [];
}

function renderProduct(record: CrmRecord, select: string[] | undefined): Record<string, unknown> {
	const f = record.fields;
	const all: Record<string, unknown> = {
		ID: String(record.ID),
		CATALOG_ID: String(f.CATALOG_ID),
		PRICE: f.PRICE === null || f.PRICE === undefined ? null : Number(f.PRICE).toFixed(2),
		CURRENCY_ID: f.CURRENCY_ID,
		NAME: f.NAME,
		CODE: null,
		DESCRIPTION: null,
		DESCRIPTION_TYPE: 'text',
		ACTIVE: f.ACTIVE,
		SECTION_ID: null,
		SORT: String(f.SORT ?? 500),
		VAT_ID: null,
		VAT_INCLUDED: 'N',
		MEASURE: null,
		XML_ID: String(record.ID),
		PREVIEW_PICTURE: null,
		DETAIL_PICTURE: null,
		DATE_CREATE: new Date(record.createdMs).toISOString(),
		TIMESTAMP_X: new Date(record.modifiedMs).toISOString(),
		MODIFIED_BY: String(record.modifiedBy),
		CREATED_BY: String(record.createdBy),
	};
	if (!select || select.includes('*')) return all;
	// ID always comes back, as in every list method.
	return Object.fromEntries(Object.entries(all).filter(([key]) => key === 'ID' || select.includes(key)));
}

const upper = (name: string) => name.toUpperCase();
const num = (value: unknown, fallback: number) => {
	const n = Number(value);
	return value === undefined || value === null || value === '' || !Number.isFinite(n) ? fallback : n;
};

function findDeal(context: MethodContext) {
	const id = requireId(context.params.id ?? context.params.ID, () =>
		restErrors.crm('The parameter id is invalid or not defined.'),
	);
	const deal = context.portal.crm.get(2, id);
	if (!deal) throw restErrors.crm('Not found');
	return deal;
}

export const crmProductMethods: MethodGroup = {
	'crm.product.add': {
		scope: 'crm',
		handler: (context) => {
			const fields = asRecord(context.params.fields);
			if (!fields) throw restErrors.crm("Parameter 'fields' must be array.");
			const name = String(fields.NAME ?? '').trim();
			if (!name) throw restErrors.crm('Field "Name" is required.');
			const id = addProduct(
				context.portal,
				{
					NAME: name,
					PRICE: fields.PRICE === undefined || fields.PRICE === '' ? null : num(fields.PRICE, 0),
					CURRENCY_ID: String(fields.CURRENCY_ID ?? 'RUB'),
					ACTIVE: fields.ACTIVE === 'N' ? 'N' : 'Y',
					CATALOG_ID: num(fields.CATALOG_ID, DEFAULT_CATALOG_ID),
				},
				context.clock.now(),
			);
			return { result: id };
		},
	},
	'crm.product.get': {
		scope: 'crm',
		handler: (context) => {
			const id = requireId(context.params.id ?? context.params.ID, () =>
				restErrors.crm('The parameter id is invalid or not defined.'),
			);
			const product = stateOf(context.portal).products.get(id);
			if (!product) throw restErrors.crm('Not found');
			return { result: renderProduct(product, undefined) };
		},
	},
	'crm.product.list': {
		scope: 'crm',
		handler: ({ params, portal, start }) => {
			const filter = { ...(asRecord(params.filter) ?? {}) };
			// "Products are taken from the default catalog" unless the filter names CATALOG_ID.
			if (!Object.keys(filter).some((key) => key.replace(/^[^A-Z_]+/i, '').toUpperCase() === 'CATALOG_ID')) {
				filter.CATALOG_ID = DEFAULT_CATALOG_ID;
			}
			const rows = [...stateOf(portal).products.values()].filter((record) => matches(record, filter, upper));
			const page = paginate(sortRecords(rows, params.order, upper), start);
			const select = Array.isArray(params.select) ? params.select.map(String) : undefined;
			return listResult(
				page.rows.map((record) => renderProduct(record, select)),
				page,
			);
		},
	},
	'crm.deal.productrows.set': {
		scope: 'crm',
		handler: (context) => {
			const deal = findDeal(context);
			const state = stateOf(context.portal);
			const given = context.params.rows;
			const list = Array.isArray(given)
				? given
				: given && typeof given === 'object'
					? Object.values(given)
					: [];
			const rows: ProductRow[] = list.map((raw, index) => {
				const row = asRecord(raw) ?? {};
				const productId = num(row.PRODUCT_ID, 0);
				const product = productId > 0 ? state.products.get(productId) : undefined;
				if (productId > 0 && !product) throw restErrors.crm(`Product is not found (ID=${productId}).`);
				return {
					ID: state.nextRowId++,
					OWNER_ID: deal.ID,
					OWNER_TYPE: 'D',
					PRODUCT_ID: productId,
					PRODUCT_NAME: product ? String(product.fields.NAME) : String(row.PRODUCT_NAME ?? ''),
					PRICE: num(row.PRICE, 0),
					QUANTITY: num(row.QUANTITY, 1),
					DISCOUNT_TYPE_ID: num(row.DISCOUNT_TYPE_ID, 2),
					DISCOUNT_RATE: num(row.DISCOUNT_RATE, 0),
					DISCOUNT_SUM: num(row.DISCOUNT_SUM, 0),
					TAX_RATE: row.TAX_RATE === undefined ? null : num(row.TAX_RATE, 0),
					TAX_INCLUDED: row.TAX_INCLUDED === 'Y' ? 'Y' : 'N',
					MEASURE_CODE: num(row.MEASURE_CODE, 796),
					MEASURE_NAME: String(row.MEASURE_NAME ?? 'шт'),
					SORT: num(row.SORT, (index + 1) * 10),
				};
			});
			for (const row of rows) if (!row.PRODUCT_NAME) row.PRODUCT_NAME = `[${row.ID}]`;
			state.rows.set(deal.ID, rows);
			// "After saving, the total amount of the deal is recalculated."
			const cents = rows.reduce((sum, row) => sum + Math.round(row.PRICE * 100) * row.QUANTITY, 0);
			deal.fields.OPPORTUNITY = cents / 100;
			deal.modifiedMs = context.clock.now();
			return { result: true };
		},
	},
	'crm.deal.productrows.get': {
		scope: 'crm',
		handler: (context) => ({ result: dealProductRows(context.portal, findDeal(context).ID) }),
	},
};
