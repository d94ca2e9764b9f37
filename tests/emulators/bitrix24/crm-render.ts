import { type CrmRecord, multiFieldTypes, numericFields, numericListFields, toCamel } from './crm-store.ts';
import { isoWithOffset } from './rest-envelope.ts';

/** Fields the old methods return for each type even when unset (a subset of the real lists). */
const baseFields: Record<number, readonly string[]> = {
	1: [
		'TITLE',
		'NAME',
		'LAST_NAME',
		'STATUS_ID',
		'SOURCE_ID',
		'ASSIGNED_BY_ID',
		'OPENED',
		'COMMENTS',
		'CONTACT_ID',
		'COMPANY_ID',
		'ORIGINATOR_ID',
		'ORIGIN_ID',
	],
	2: [
		'TITLE',
		'TYPE_ID',
		'CATEGORY_ID',
		'STAGE_ID',
		'STAGE_SEMANTIC_ID',
		'IS_NEW',
		'CURRENCY_ID',
		'OPPORTUNITY',
		'IS_MANUAL_OPPORTUNITY',
		'COMPANY_ID',
		'CONTACT_ID',
		'ASSIGNED_BY_ID',
		'SOURCE_ID',
		'OPENED',
		'CLOSED',
		'COMMENTS',
		'ORIGINATOR_ID',
		'ORIGIN_ID',
	],
	3: [
		'HONORIFIC',
		'NAME',
		'SECOND_NAME',
		'LAST_NAME',
		'POST',
		'COMMENTS',
		'TYPE_ID',
		'SOURCE_ID',
		'SOURCE_DESCRIPTION',
		'COMPANY_ID',
		'LEAD_ID',
		'BIRTHDATE',
		'EXPORT',
		'ASSIGNED_BY_ID',
		'OPENED',
		'ORIGINATOR_ID',
		'ORIGIN_ID',
		'ORIGIN_VERSION',
		'FACE_ID',
	],
	4: [
		'TITLE',
		'COMPANY_TYPE',
		'INDUSTRY',
		'ASSIGNED_BY_ID',
		'OPENED',
		'COMMENTS',
		'ORIGINATOR_ID',
		'ORIGIN_ID',
	],
};

const hasFlags = new Set([1, 3, 4]);

/** All stored fields with defaults, keyed UPPER_CASE, with typed values. */
function allFields(record: CrmRecord): Record<string, unknown> {
	const out: Record<string, unknown> = { ID: record.ID };
	for (const name of baseFields[record.entityTypeId] ?? [
		'TITLE',
		'CATEGORY_ID',
		'STAGE_ID',
		'ASSIGNED_BY_ID',
	])
		out[name] = null;
	Object.assign(out, record.fields);
	out.CREATED_BY_ID = record.createdBy;
	out.MODIFY_BY_ID = record.modifiedBy;
	if (hasFlags.has(record.entityTypeId)) {
		out.HAS_PHONE = record.multi.some((m) => m.TYPE_ID === 'PHONE') ? 'Y' : 'N';
		out.HAS_EMAIL = record.multi.some((m) => m.TYPE_ID === 'EMAIL') ? 'Y' : 'N';
		out.HAS_IMOL = record.multi.some((m) => m.TYPE_ID === 'IM' && m.VALUE.startsWith('imol|')) ? 'Y' : 'N';
	}
	return out;
}

function oldScalar(value: unknown): unknown {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return String(value);
	if (typeof value === 'boolean') return value ? 'Y' : 'N';
	return value;
}

/** Whether an old-method `select` wants a field (`*` = all but multifields; `UF_*` = user fields). */
function wants(select: string[] | undefined, name: string): boolean {
	if (!select || select.length === 0) return !multiFieldTypes.includes(name as never);
	if (select.includes(name)) return true;
	if (name.startsWith('UF_')) return select.includes('UF_*');
	return select.includes('*') && !multiFieldTypes.includes(name as never);
}

/**
 * The old methods' view (`crm.contact.get`): UPPER_CASE, numbers as strings, ISO dates with the
 * portal offset, multifields as `[{ID,VALUE_TYPE,VALUE,TYPE_ID}]` (research §4.2, §8.11).
 */
export function renderOld(
	record: CrmRecord,
	offsetMinutes: number,
	select?: string[],
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(allFields(record))) {
		if (numericListFields.has(name)) continue;
		if (name !== 'ID' && !wants(select, name)) continue;
		out[name] = oldScalar(value);
	}
	if (wants(select, 'DATE_CREATE')) out.DATE_CREATE = isoWithOffset(record.createdMs, offsetMinutes);
	if (wants(select, 'DATE_MODIFY')) out.DATE_MODIFY = isoWithOffset(record.modifiedMs, offsetMinutes);
	const withMulti = select === undefined ? 'all' : 'selected';
	for (const type of multiFieldTypes) {
		const values = record.multi.filter((m) => m.TYPE_ID === type);
		if (values.length === 0) continue;
		if (withMulti === 'selected' && !select?.includes(type)) continue;
		out[type] = values.map((m) => ({
			ID: String(m.ID),
			VALUE_TYPE: m.VALUE_TYPE,
			VALUE: m.VALUE,
			TYPE_ID: m.TYPE_ID,
		}));
	}
	return out;
}

/** `crm.item` view: camelCase, real numbers, `fm` as `[{id,typeId,valueType,value}]` (research §4.6). */
export function renderItem(
	record: CrmRecord,
	offsetMinutes: number,
	select?: string[],
): Record<string, unknown> {
	const all = !select || select.length === 0 || select.includes('*');
	const wanted = new Set(select ?? []);
	const out: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(allFields(record))) {
		const camel = toCamel(name);
		if (camel !== 'id' && !all && !wanted.has(camel)) continue;
		if (numericFields.has(name) && value !== null && value !== undefined) out[camel] = Number(value);
		else if (numericListFields.has(name)) out[camel] = Array.isArray(value) ? value : [];
		else out[camel] = value ?? null;
	}
	if (record.entityTypeId === 2 && (all || wanted.has('contactIds')) && out.contactIds === undefined)
		out.contactIds = [];
	if (all || wanted.has('createdTime')) out.createdTime = isoWithOffset(record.createdMs, offsetMinutes);
	if (all || wanted.has('updatedTime')) out.updatedTime = isoWithOffset(record.modifiedMs, offsetMinutes);
	out.entityTypeId = record.entityTypeId;
	if (all) {
		out.fm = record.multi.map((m) => ({
			id: m.ID,
			typeId: m.TYPE_ID,
			valueType: m.VALUE_TYPE,
			value: m.VALUE,
		}));
	}
	return out;
}
