import { asRecord, listResult, matches, paginate, requireId, sortRecords } from '../crm-query.ts';
import { renderOld } from '../crm-render.ts';
import { createRecord, deleteRecord, splitOldFields, updateRecord } from '../crm-write.ts';
import type { MethodGroup } from '../method-types.ts';
import { restErrors } from '../rest-envelope.ts';

interface LegacyOptions {
	/** `contact` → `crm.contact.*`. */
	name: string;
	entityTypeId: number;
	/** `crm.contact.update` says "Contact is not found"; `crm.deal.update` says "Not found". */
	updateNotFound: string;
}

const upper = (name: string) => name.toUpperCase();
const selectOf = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);

/**
 * The deprecated-but-working UPPER_CASE methods (research §4.2, §4.4): errors are HTTP 400 with an
 * empty `error` code, numbers come back as strings.
 */
export function legacyCrmMethods({ name, entityTypeId, updateNotFound }: LegacyOptions): MethodGroup {
	const find = (context: Parameters<MethodGroup[string]['handler']>[0], message: string) => {
		const id = requireId(context.params.id ?? context.params.ID, () =>
			restErrors.crm('ID is not defined or invalid.'),
		);
		const record = context.portal.crm.get(entityTypeId, id);
		if (!record) throw restErrors.crm(message);
		return record;
	};
	return {
		[`crm.${name}.add`]: {
			scope: 'crm',
			handler: (context) => {
				const fields = asRecord(context.params.fields);
				if (!fields) throw restErrors.crm("Parameter 'fields' must be array.");
				return { result: createRecord(context, entityTypeId, splitOldFields(fields)).ID };
			},
		},
		[`crm.${name}.get`]: {
			scope: 'crm',
			handler: (context) => ({ result: renderOld(find(context, 'Not found'), context.portal.offsetMinutes) }),
		},
		[`crm.${name}.update`]: {
			scope: 'crm',
			handler: (context) => {
				const record = find(context, updateNotFound);
				const fields = asRecord(context.params.fields);
				if (!fields) throw restErrors.crm("Parameter 'fields' must be array.");
				updateRecord(context, record, splitOldFields(fields), { allowCategoryChange: false });
				return { result: true };
			},
		},
		[`crm.${name}.delete`]: {
			scope: 'crm',
			handler: (context) => {
				deleteRecord(context, find(context, 'Not found'));
				return { result: true };
			},
		},
		[`crm.${name}.list`]: {
			scope: 'crm',
			handler: ({ params, portal, start }) => {
				const filter = asRecord(params.filter) ?? {};
				const rows = portal.crm.all(entityTypeId).filter((record) => matches(record, filter, upper));
				const page = paginate(sortRecords(rows, params.order, upper), start);
				const select = selectOf(params.select) ?? ['*', 'UF_*'];
				return listResult(
					page.rows.map((record) => renderOld(record, portal.offsetMinutes, select)),
					page,
				);
			},
		},
	};
}
