/**
 * The CRM of one portal. Records are kept once, in the old methods' UPPER_CASE names with typed
 * values; `crm.contact.*` renders them with string numbers, `crm.item.*` in camelCase with real
 * numbers (research §4, §8.11), so both generations see the same contacts and deals.
 */

export const entityTypeNames: Record<number, string> = { 1: 'LEAD', 2: 'DEAL', 3: 'CONTACT', 4: 'COMPANY' };

export type MultiFieldType = 'PHONE' | 'EMAIL' | 'WEB' | 'IM' | 'LINK';
export const multiFieldTypes: readonly MultiFieldType[] = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'];

export interface MultiField {
	ID: number;
	TYPE_ID: MultiFieldType;
	VALUE: string;
	VALUE_TYPE: string;
}

export interface CrmRecord {
	entityTypeId: number;
	ID: number;
	fields: Record<string, unknown>;
	multi: MultiField[];
	createdMs: number;
	modifiedMs: number;
	createdBy: number;
	modifiedBy: number;
}

export interface TimelineComment {
	ID: number;
	ENTITY_ID: number;
	ENTITY_TYPE: string;
	COMMENT: string;
	AUTHOR_ID: number;
	CREATED: number;
}

export interface LogMessage {
	id: number;
	entityTypeId: number;
	entityId: number;
	title: string;
	text: string;
	iconCode: string;
	authorId: number;
	appId: string;
	created: number;
}

export interface Activity {
	ID: number;
	fields: Record<string, unknown>;
	createdMs: number;
}

export interface StatusRow {
	ID: string;
	ENTITY_ID: string;
	STATUS_ID: string;
	NAME: string;
	NAME_INIT: string;
	SORT: string;
	SYSTEM: 'Y' | 'N';
	CATEGORY_ID: string | null;
	COLOR: string;
	SEMANTICS: null | 'S' | 'F';
	EXTRA: { SEMANTICS: string; COLOR: string };
}

export interface Category {
	id: number;
	name: string;
	sort: number;
	entityTypeId: number;
	isDefault: 'Y' | 'N';
}

/** Values stored as numbers; the old methods render them as strings. */
export const numericFields = new Set([
	'ID',
	'ASSIGNED_BY_ID',
	'CREATED_BY_ID',
	'MODIFY_BY_ID',
	'COMPANY_ID',
	'CATEGORY_ID',
	'LEAD_ID',
	'CONTACT_ID',
	'OPPORTUNITY',
	'PROBABILITY',
]);
export const numericListFields = new Set(['CONTACT_IDS', 'COMPANY_IDS']);

const camelSpecial: Record<string, string> = {
	DATE_CREATE: 'createdTime',
	DATE_MODIFY: 'updatedTime',
	CREATED_BY_ID: 'createdBy',
	MODIFY_BY_ID: 'updatedBy',
};
const upperSpecial = Object.fromEntries(Object.entries(camelSpecial).map(([upper, camel]) => [camel, upper]));

export function toCamel(upper: string): string {
	const special = camelSpecial[upper];
	if (special) return special;
	return upper.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function toUpper(camel: string): string {
	const special = upperSpecial[camel];
	if (special) return special;
	if (camel === camel.toUpperCase()) return camel;
	return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Coerces a field written by a client to its stored type. */
export function normalizeValue(key: string, value: unknown): unknown {
	if (numericFields.has(key) && value !== null && value !== '' && !Number.isNaN(Number(value))) {
		return Number(value);
	}
	if (numericListFields.has(key)) {
		const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
		return list.map(Number).filter((n) => Number.isFinite(n));
	}
	return value;
}

function defaultStatuses(): StatusRow[] {
	const rows: Array<[string, string, string, string, null | 'S' | 'F', string]> = [
		['DEAL_STAGE', 'NEW', 'New', '10', null, '#39A8EF'],
		['DEAL_STAGE', 'PREPARATION', 'Preparing documents', '20', null, '#2FC6F6'],
		['DEAL_STAGE', 'EXECUTING', 'In progress', '30', null, '#FFA900'],
		['DEAL_STAGE', 'WON', 'Deal won', '60', 'S', '#7BD500'],
		['DEAL_STAGE', 'LOSE', 'Deal lost', '70', 'F', '#FF5752'],
		['STATUS', 'NEW', 'Unassigned', '10', null, '#39A8EF'],
		['STATUS', 'CONVERTED', 'Good lead', '60', 'S', '#7BD500'],
		['STATUS', 'JUNK', 'Junk lead', '70', 'F', '#FF5752'],
		['SOURCE', 'CALL', 'Call', '10', null, ''],
		['SOURCE', 'WEB', 'Website', '40', null, ''],
		['SOURCE', 'OTHER', 'Other', '90', null, ''],
		['CONTACT_TYPE', 'CLIENT', 'Clients', '10', null, ''],
		['CONTACT_TYPE', 'SUPPLIER', 'Suppliers', '20', null, ''],
		['CONTACT_TYPE', 'OTHER', 'Other', '40', null, ''],
		['DEAL_TYPE', 'SALE', 'Sales', '10', null, ''],
		['DEAL_TYPE', 'SERVICE', 'Service', '30', null, ''],
	];
	const semantic = (s: null | 'S' | 'F') => (s === 'S' ? 'success' : s === 'F' ? 'failure' : 'process');
	return rows.map(([entity, status, name, sort, semantics, color], index) => ({
		ID: String(101 + index),
		ENTITY_ID: entity,
		STATUS_ID: status,
		NAME: name,
		NAME_INIT: name,
		SORT: sort,
		SYSTEM: 'Y',
		CATEGORY_ID: entity === 'DEAL_STAGE' ? '0' : null,
		COLOR: color,
		SEMANTICS: semantics,
		EXTRA: { SEMANTICS: semantic(semantics), COLOR: color },
	}));
}

export class CrmStore {
	readonly records = new Map<number, Map<number, CrmRecord>>();
	/** Smart processes (entityTypeId ≥ 1000 or 128+) that exist on this portal. */
	readonly smartProcesses = new Map<number, { title: string }>();
	readonly comments: TimelineComment[] = [];
	readonly logMessages: LogMessage[] = [];
	readonly activities: Activity[] = [];
	readonly statuses: StatusRow[] = defaultStatuses();
	readonly categories: Category[] = [{ id: 0, name: 'General', sort: 300, entityTypeId: 2, isDefault: 'Y' }];
	#multiId = 100;

	constructor(private readonly nextId: (kind: string) => number) {}

	supports(entityTypeId: number): boolean {
		return entityTypeId in entityTypeNames || this.smartProcesses.has(entityTypeId);
	}

	table(entityTypeId: number): Map<number, CrmRecord> {
		let table = this.records.get(entityTypeId);
		if (!table) {
			table = new Map();
			this.records.set(entityTypeId, table);
		}
		return table;
	}

	get(entityTypeId: number, id: number): CrmRecord | undefined {
		return this.table(entityTypeId).get(id);
	}

	all(entityTypeId: number): CrmRecord[] {
		return [...this.table(entityTypeId).values()];
	}

	create(entityTypeId: number, fields: Record<string, unknown>, userId: number, nowMs: number): CrmRecord {
		const id = this.nextId(`crm:${entityTypeId}`);
		const record: CrmRecord = {
			entityTypeId,
			ID: id,
			fields: {},
			multi: [],
			createdMs: nowMs,
			modifiedMs: nowMs,
			createdBy: userId,
			modifiedBy: userId,
		};
		for (const [key, value] of Object.entries(fields)) record.fields[key] = normalizeValue(key, value);
		this.table(entityTypeId).set(id, record);
		return record;
	}

	delete(entityTypeId: number, id: number): boolean {
		return this.table(entityTypeId).delete(id);
	}

	/** Old-method multifield semantics (research §4.2): no ID adds; ID+VALUE overwrites; ID+empty/DELETE removes. */
	applyOldMulti(record: CrmRecord, type: MultiFieldType, entries: unknown): void {
		const list = Array.isArray(entries)
			? entries
			: typeof entries === 'object' && entries
				? Object.values(entries)
				: [];
		for (const raw of list) {
			if (typeof raw !== 'object' || raw === null) continue;
			const entry = raw as Record<string, unknown>;
			const id = entry.ID === undefined ? undefined : Number(entry.ID);
			const value = entry.VALUE === undefined || entry.VALUE === null ? '' : String(entry.VALUE);
			if (id === undefined || Number.isNaN(id)) {
				if (value !== '')
					this.addMulti(record, type, value, String(entry.VALUE_TYPE ?? defaultValueType(type)));
				continue;
			}
			const existing = record.multi.find((m) => m.ID === id && m.TYPE_ID === type);
			if (!existing) continue;
			if (entry.DELETE === 'Y' || value === '') record.multi = record.multi.filter((m) => m !== existing);
			else {
				existing.VALUE = value;
				if (entry.VALUE_TYPE !== undefined) existing.VALUE_TYPE = String(entry.VALUE_TYPE);
			}
		}
	}

	/** `crm.item` `fm` semantics (research §4.6): `n0` keys add, numeric id edits, empty value deletes; no typeId → ignored. */
	applyFm(record: CrmRecord, fm: unknown): void {
		const entries: Array<[string, unknown]> = Array.isArray(fm)
			? fm.map((entry, index) => [`n${index}`, entry])
			: typeof fm === 'object' && fm
				? Object.entries(fm)
				: [];
		for (const [key, raw] of entries) {
			if (typeof raw !== 'object' || raw === null) continue;
			const entry = raw as Record<string, unknown>;
			const type = String(entry.typeId ?? '').toUpperCase() as MultiFieldType;
			if (!multiFieldTypes.includes(type)) continue;
			const value = entry.value === undefined || entry.value === null ? '' : String(entry.value);
			const id = entry.id !== undefined ? Number(entry.id) : /^\d+$/.test(key) ? Number(key) : undefined;
			if (id === undefined || Number.isNaN(id)) {
				if (value !== '')
					this.addMulti(record, type, value, String(entry.valueType ?? defaultValueType(type)));
				continue;
			}
			const existing = record.multi.find((m) => m.ID === id);
			if (!existing) continue;
			if (value === '') record.multi = record.multi.filter((m) => m !== existing);
			else {
				existing.VALUE = value;
				if (entry.valueType !== undefined) existing.VALUE_TYPE = String(entry.valueType);
			}
		}
	}

	addMulti(record: CrmRecord, type: MultiFieldType, value: string, valueType: string): MultiField {
		this.#multiId += 1;
		const field: MultiField = { ID: this.#multiId, TYPE_ID: type, VALUE: value, VALUE_TYPE: valueType };
		record.multi.push(field);
		return field;
	}
}

function defaultValueType(type: MultiFieldType): string {
	return type === 'IM' ? 'OTHER' : type === 'WEB' ? 'WORK' : 'WORK';
}
