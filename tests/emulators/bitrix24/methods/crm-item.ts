import { asRecord, listResult, matches, paginate, sortRecords } from '../crm-query.ts';
import { renderItem } from '../crm-render.ts';
import { toUpper } from '../crm-store.ts';
import { type CrmWrite, createRecord, deleteRecord, updateRecord } from '../crm-write.ts';
import type { MethodContext, MethodGroup } from '../method-types.ts';
import { RestError } from '../rest-envelope.ts';

const notFound = (what: string) => new RestError('NOT_FOUND', what, 400);

function entityType(context: MethodContext): number {
	const id = Number(context.params.entityTypeId);
	if (!Number.isInteger(id) || !context.portal.crm.supports(id)) throw notFound('SPA not found');
	return id;
}

function itemWrite(fields: Record<string, unknown>): CrmWrite {
	const plain: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(fields)) {
		if (key === 'fm' || key === 'id') continue;
		plain[toUpper(key)] = value;
	}
	return { fields: plain, fm: fields.fm };
}

function find(context: MethodContext) {
	const entityTypeId = entityType(context);
	const record = context.portal.crm.get(entityTypeId, Number(context.params.id));
	if (!record) throw notFound('Element not found');
	return record;
}

function fieldsOf(context: MethodContext): Record<string, unknown> {
	const fields = asRecord(context.params.fields);
	if (!fields) throw new RestError('INVALID_ARG_VALUE', 'Required parameter "fields" is missing', 400);
	return fields;
}

/** `imol` in a filter is the Open Lines IM multifield (research §5.5); the rest is camelCase. */
const filterField = (name: string) => (name.toLowerCase() === 'imol' ? 'IMOL' : toUpper(name));

/** `crm.item.*` (research §4.6): camelCase, real numbers, `{item}` / `{items}` wrappers. */
export const crmItemMethods: MethodGroup = {
	'crm.item.add': {
		scope: 'crm',
		handler: (context) => {
			const entityTypeId = entityType(context);
			const record = createRecord(context, entityTypeId, itemWrite(fieldsOf(context)));
			return { result: { item: renderItem(record, context.portal.offsetMinutes) } };
		},
	},
	'crm.item.update': {
		scope: 'crm',
		handler: (context) => {
			const record = find(context);
			updateRecord(context, record, itemWrite(fieldsOf(context)), { allowCategoryChange: true });
			return { result: { item: renderItem(record, context.portal.offsetMinutes) } };
		},
	},
	'crm.item.get': {
		scope: 'crm',
		handler: (context) => ({ result: { item: renderItem(find(context), context.portal.offsetMinutes) } }),
	},
	'crm.item.delete': {
		scope: 'crm',
		handler: (context) => {
			deleteRecord(context, find(context));
			return { result: [] };
		},
	},
	'crm.item.list': {
		scope: 'crm',
		handler: (context) => {
			const entityTypeId = entityType(context);
			const { params, portal, start } = context;
			const filter = asRecord(params.filter) ?? {};
			const rows = portal.crm.all(entityTypeId).filter((record) => matches(record, filter, filterField));
			const page = paginate(sortRecords(rows, params.order, filterField), start);
			const select = Array.isArray(params.select) ? params.select.map(String) : undefined;
			return listResult({ items: page.rows.map((r) => renderItem(r, portal.offsetMinutes, select)) }, page);
		},
	},
};
