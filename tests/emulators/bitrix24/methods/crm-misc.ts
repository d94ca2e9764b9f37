import { z } from 'zod';
import { asRecord, listResult, paginate } from '../crm-query.ts';
import type { MethodGroup } from '../method-types.ts';
import { RestError, restErrors } from '../rest-envelope.ts';

const entityTypeByName: Record<string, number> = { LEAD: 1, CONTACT: 3, COMPANY: 4 };

/** Phones match on digits only, ignoring an extension after `#` (research §4.3). */
function phoneKey(value: string): string {
	return value.split('#')[0]?.replace(/\D/g, '') ?? '';
}

const findSchema = z.object({
	type: z.string().optional(),
	values: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
	entity_type: z.string().optional(),
});

/** `crm.duplicate.findbycomm`, `crm.status.list`, `crm.category.list` (research §4.3, §4.5). */
export const crmMiscMethods: MethodGroup = {
	'crm.duplicate.findbycomm': {
		scope: 'crm',
		handler: ({ params, portal }) => {
			const parsed = findSchema.parse(params);
			const type = String(parsed.type ?? '').toUpperCase();
			if (!type) throw restErrors.crm('Communication type is not defined.');
			const values = parsed.values ? Object.values(parsed.values).map(String) : [];
			if (values.length === 0) throw restErrors.crm('Communication values is not defined.');
			if (type !== 'EMAIL' && type !== 'PHONE') {
				throw restErrors.crm(`Communication type '${type}' is not supported in current context.`);
			}
			const key = (v: string) => (type === 'PHONE' ? phoneKey(v) : v.trim().toLowerCase());
			const wanted = new Set(values.slice(0, 20).map(key));
			const only = parsed.entity_type?.toUpperCase();
			const found: Record<string, number[]> = {};
			for (const [name, entityTypeId] of Object.entries(entityTypeByName)) {
				if (only && only !== name) continue;
				const ids = portal.crm
					.all(entityTypeId)
					.filter((r) => r.multi.some((m) => m.TYPE_ID === type && wanted.has(key(m.VALUE))))
					.map((r) => r.ID);
				if (ids.length > 0) found[name] = ids;
			}
			// No match is `[]`, a PHP empty array, not `{}`.
			return { result: Object.keys(found).length === 0 ? [] : found };
		},
	},
	'crm.status.list': {
		scope: 'crm',
		handler: ({ params, portal, start }) => {
			const filter = asRecord(params.filter) ?? {};
			const rows = portal.crm.statuses.filter((row) =>
				Object.entries(filter).every(
					([field, value]) => String(row[field as keyof typeof row]) === String(value),
				),
			);
			const page = paginate(rows, start);
			return listResult(page.rows, page);
		},
	},
	'crm.category.list': {
		scope: 'crm',
		handler: ({ params, portal }) => {
			const entityTypeId = Number(params.entityTypeId);
			if (!Number.isInteger(entityTypeId)) throw new RestError('NOT_FOUND', 'SPA not found', 400);
			const categories = portal.crm.categories.filter((c) => c.entityTypeId === entityTypeId);
			return { result: { categories }, total: categories.length };
		},
	},
};
