import { type CrmRecord, type MultiFieldType, multiFieldTypes } from './crm-store.ts';
import type { MethodResult, RestError } from './rest-envelope.ts';

export const PAGE_SIZE = 50;

/** Operators of CRM list filters, longest first so `>=` wins over `>` (research §4.2, §4.6). */
const operators = ['!=%', '>=', '<=', '!@', '!%', '!=', '=%', '%=', '>', '<', '@', '%', '=', '!'] as const;
type Operator = (typeof operators)[number] | '';

function splitKey(key: string): { op: Operator; field: string } {
	for (const op of operators) if (key.startsWith(op)) return { op, field: key.slice(op.length) };
	return { op: '', field: key };
}

/** A record's value for an UPPER_CASE field; multifields give all their values. */
function valuesOf(record: CrmRecord, field: string): unknown[] {
	if (field === 'ID') return [record.ID];
	if (field === 'IMOL') return record.multi.filter((m) => m.TYPE_ID === 'IM').map((m) => m.VALUE);
	if (multiFieldTypes.includes(field as MultiFieldType)) {
		return record.multi.filter((m) => m.TYPE_ID === field).map((m) => m.VALUE);
	}
	if (field === 'DATE_CREATE') return [record.createdMs];
	if (field === 'DATE_MODIFY') return [record.modifiedMs];
	const value = record.fields[field];
	return Array.isArray(value) ? value : [value];
}

function comparable(value: unknown): number | string {
	if (typeof value === 'number') return value;
	const text = String(value ?? '');
	if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
	const date = Date.parse(text);
	if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(date)) return date;
	return text.toLowerCase();
}

function like(pattern: string): RegExp {
	const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
	return new RegExp(`^${escaped}$`, 'i');
}

function test(op: Operator, actual: unknown, wanted: unknown): boolean {
	const a = comparable(actual);
	const list = Array.isArray(wanted) ? wanted : [wanted];
	switch (op) {
		case '':
		case '=':
			return list.some((w) => comparable(w) === a || (w === '' && (actual === null || actual === undefined)));
		case '!':
		case '!=':
			return !list.some((w) => comparable(w) === a);
		case '@':
			return list.some((w) => comparable(w) === a);
		case '!@':
			return !list.some((w) => comparable(w) === a);
		case '>':
			return a > comparable(wanted);
		case '>=':
			return a >= comparable(wanted);
		case '<':
			return a < comparable(wanted);
		case '<=':
			return a <= comparable(wanted);
		case '%':
			return String(actual ?? '')
				.toLowerCase()
				.includes(String(wanted).toLowerCase());
		case '!%':
			return !String(actual ?? '')
				.toLowerCase()
				.includes(String(wanted).toLowerCase());
		case '=%':
		case '%=':
			return like(String(wanted)).test(String(actual ?? ''));
		case '!=%':
			return !like(String(wanted)).test(String(actual ?? ''));
	}
}

/**
 * Applies a CRM filter; `toField` maps the client's field names (UPPER_CASE or camelCase) to stored
 * names. Nested groups under numeric keys combine by their `logic` (AND/OR), as `crm.item.list` does.
 */
export function matches(
	record: CrmRecord,
	filter: Record<string, unknown>,
	toField: (name: string) => string,
): boolean {
	const logic = String(filter.logic ?? 'AND').toUpperCase();
	const outcomes: boolean[] = [];
	for (const [key, wanted] of Object.entries(filter)) {
		if (key === 'logic') continue;
		if (/^\d+$/.test(key) && wanted && typeof wanted === 'object' && !Array.isArray(wanted)) {
			outcomes.push(matches(record, wanted as Record<string, unknown>, toField));
			continue;
		}
		const { op, field } = splitKey(key);
		const name = toField(field);
		const values = valuesOf(record, name);
		const negative = op === '!' || op === '!=' || op === '!@' || op === '!%' || op === '!=%';
		const hit = negative ? values.every((v) => test(op, v, wanted)) : values.some((v) => test(op, v, wanted));
		outcomes.push(hit);
	}
	return logic === 'OR' ? outcomes.length === 0 || outcomes.some(Boolean) : outcomes.every(Boolean);
}

export function sortRecords(
	records: CrmRecord[],
	order: unknown,
	toField: (name: string) => string,
): CrmRecord[] {
	const entries =
		order && typeof order === 'object' && !Array.isArray(order)
			? Object.entries(order as Record<string, unknown>)
			: [];
	const keys = entries.length > 0 ? entries : [['ID', 'ASC'] as [string, unknown]];
	return [...records].sort((left, right) => {
		for (const [field, direction] of keys) {
			const name = toField(field);
			const a = comparable(valuesOf(left, name)[0]);
			const b = comparable(valuesOf(right, name)[0]);
			if (a === b) continue;
			const sign = String(direction).toUpperCase() === 'DESC' ? -1 : 1;
			return a < b ? -sign : sign;
		}
		return 0;
	});
}

/** Pages of 50 with `total`/`next`; `start=-1` is the fast mode that counts nothing (research §2.3). */
export function paginate<T>(
	rows: T[],
	start: number | undefined,
	pageSize = PAGE_SIZE,
): { rows: T[]; total?: number; next?: number } {
	if (start === -1) return { rows: rows.slice(0, pageSize) };
	const offset = Math.max(0, Number.isFinite(start) ? Number(start) : 0);
	const page = rows.slice(offset, offset + pageSize);
	return offset + pageSize < rows.length
		? { rows: page, total: rows.length, next: offset + pageSize }
		: { rows: page, total: rows.length };
}

/** A paged list answer: `total`/`next` lifted beside `result`. */
export function listResult(result: unknown, page: { total?: number; next?: number }): MethodResult {
	const out: MethodResult = { result };
	if (page.total !== undefined) out.total = page.total;
	if (page.next !== undefined) out.next = page.next;
	return out;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

export function requireId(value: unknown, error: () => RestError): number {
	const id = Number(value);
	if (!Number.isInteger(id) || id <= 0) throw error();
	return id;
}
