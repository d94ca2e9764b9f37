import {
	type CrmRecord,
	entityTypeNames,
	type MultiFieldType,
	multiFieldTypes,
	normalizeValue,
} from './crm-store.ts';
import type { MethodContext } from './method-types.ts';
import { RestError } from './rest-envelope.ts';

/** Fields a client cannot write. */
const readOnly = new Set([
	'ID',
	'DATE_CREATE',
	'DATE_MODIFY',
	'CREATED_BY_ID',
	'MODIFY_BY_ID',
	'HAS_PHONE',
	'HAS_EMAIL',
	'HAS_IMOL',
]);

export interface CrmWrite {
	/** UPPER_CASE fields without multifields. */
	fields: Record<string, unknown>;
	/** Old-style multifields by type. */
	multi?: Partial<Record<MultiFieldType, unknown>>;
	/** `crm.item` `fm`. */
	fm?: unknown;
}

/** Splits old-method `fields` into plain fields and multifields. */
export function splitOldFields(fields: Record<string, unknown>): CrmWrite {
	const plain: Record<string, unknown> = {};
	const multi: Partial<Record<MultiFieldType, unknown>> = {};
	for (const [key, value] of Object.entries(fields)) {
		const upper = key.toUpperCase();
		if (multiFieldTypes.includes(upper as MultiFieldType)) multi[upper as MultiFieldType] = value;
		else if (!readOnly.has(upper)) plain[upper] = value;
	}
	return { fields: plain, multi };
}

function validateEmails(write: CrmWrite): void {
	const list = write.multi?.EMAIL;
	const entries = Array.isArray(list) ? list : list && typeof list === 'object' ? Object.values(list) : [];
	for (const entry of entries) {
		const value = (entry as Record<string, unknown> | null)?.VALUE;
		if (typeof value === 'string' && value !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
			throw new RestError('ERROR_CORE', `Invalid E-mail address: ${value}`, 400);
		}
	}
}

function eventName(entityTypeId: number, action: 'ADD' | 'UPDATE' | 'DELETE'): string | undefined {
	const name = entityTypeNames[entityTypeId];
	return name ? `ONCRM${name}${action}` : undefined;
}

function applyDealDefaults(record: CrmRecord): void {
	const f = record.fields;
	f.TITLE ??= `Deal #${record.ID}`;
	f.CATEGORY_ID ??= 0;
	f.STAGE_ID ??= f.CATEGORY_ID === 0 ? 'NEW' : `C${f.CATEGORY_ID}:NEW`;
	f.CURRENCY_ID ??= 'RUB';
	f.OPPORTUNITY ??= 0;
	f.STAGE_SEMANTIC_ID ??= 'P';
	f.IS_NEW ??= 'Y';
	f.CLOSED ??= 'N';
	f.OPENED ??= 'Y';
	syncDealContacts(record);
}

/** `CONTACT_IDS` is the list; deprecated `CONTACT_ID` mirrors its first element. */
function syncDealContacts(record: CrmRecord): void {
	const f = record.fields;
	const ids = Array.isArray(f.CONTACT_IDS) ? (f.CONTACT_IDS as number[]) : [];
	if (ids.length === 0 && typeof f.CONTACT_ID === 'number') f.CONTACT_IDS = [f.CONTACT_ID];
	else {
		f.CONTACT_IDS = ids;
		f.CONTACT_ID = ids[0] ?? null;
	}
}

export function createRecord(context: MethodContext, entityTypeId: number, write: CrmWrite): CrmRecord {
	validateEmails(write);
	const { portal, caller, clock } = context;
	const fields: Record<string, unknown> = { ASSIGNED_BY_ID: caller.userId, ...write.fields };
	if (entityTypeId === 3 || entityTypeId === 1) {
		fields.OPENED ??= 'Y';
		fields.EXPORT ??= 'Y';
		if (entityTypeId === 3) fields.TYPE_ID ??= 'CLIENT';
	}
	const record = portal.crm.create(entityTypeId, fields, caller.userId, clock.now());
	if (entityTypeId === 2) applyDealDefaults(record);
	for (const [type, entries] of Object.entries(write.multi ?? {})) {
		portal.crm.applyOldMulti(record, type as MultiFieldType, entries);
	}
	if (write.fm !== undefined) portal.crm.applyFm(record, write.fm);
	const event = eventName(entityTypeId, 'ADD');
	if (event) context.emit(event, { FIELDS: { ID: String(record.ID) } });
	return record;
}

export function updateRecord(
	context: MethodContext,
	record: CrmRecord,
	write: CrmWrite,
	options: { allowCategoryChange: boolean },
): void {
	validateEmails(write);
	const before = record.fields.CATEGORY_ID;
	for (const [key, value] of Object.entries(write.fields)) {
		if (key === 'CATEGORY_ID' && !options.allowCategoryChange) continue;
		record.fields[key] = normalizeValue(key, value);
	}
	for (const [type, entries] of Object.entries(write.multi ?? {})) {
		context.portal.crm.applyOldMulti(record, type as MultiFieldType, entries);
	}
	if (write.fm !== undefined) context.portal.crm.applyFm(record, write.fm);
	if (record.entityTypeId === 2) {
		if (record.fields.CATEGORY_ID !== before && write.fields.STAGE_ID === undefined) {
			const category = Number(record.fields.CATEGORY_ID);
			record.fields.STAGE_ID = category === 0 ? 'NEW' : `C${category}:NEW`;
		}
		if ('CONTACT_ID' in write.fields && !('CONTACT_IDS' in write.fields)) record.fields.CONTACT_IDS = [];
		syncDealContacts(record);
	}
	record.modifiedMs = context.clock.now();
	record.modifiedBy = context.caller.userId;
	// A funnel change fires ONCRMDEALMOVETOCATEGORY, not ONCRMDEALUPDATE (research §4.4).
	if (record.entityTypeId === 2 && record.fields.CATEGORY_ID !== before) {
		context.emit('ONCRMDEALMOVETOCATEGORY', {
			FIELDS: {
				ID: String(record.ID),
				CATEGORY_ID: String(record.fields.CATEGORY_ID),
				STAGE_ID: String(record.fields.STAGE_ID),
			},
		});
		return;
	}
	const event = eventName(record.entityTypeId, 'UPDATE');
	if (event) context.emit(event, { FIELDS: { ID: String(record.ID) } });
}

export function deleteRecord(context: MethodContext, record: CrmRecord): void {
	context.portal.crm.delete(record.entityTypeId, record.ID);
	const event = eventName(record.entityTypeId, 'DELETE');
	if (event) context.emit(event, { FIELDS: { ID: String(record.ID) } });
}
