import { asRecord, listResult, paginate } from '../crm-query.ts';
import type { MethodGroup } from '../method-types.ts';
import { isoWithOffset, RestError, restErrors } from '../rest-envelope.ts';

const required = ['OWNER_ID', 'OWNER_TYPE_ID', 'TYPE_ID', 'COMMUNICATIONS', 'RESPONSIBLE_ID'] as const;

/** Legacy `crm.activity.add/list` (research §4.7): minimal but with the documented required fields. */
export const crmActivityMethods: MethodGroup = {
	'crm.activity.add': {
		scope: 'crm',
		handler: (context) => {
			const fields = asRecord(context.params.fields);
			if (!fields) throw restErrors.crm("Parameter 'fields' must be array.");
			for (const key of required) {
				if (fields[key] === undefined || fields[key] === '')
					throw restErrors.crm(`The field '${key}' is required.`);
			}
			const ownerType = Number(fields.OWNER_TYPE_ID);
			if (!context.portal.crm.get(ownerType, Number(fields.OWNER_ID)))
				throw restErrors.crm('Owner is not found.');
			const id = context.portal.nextId('activity');
			context.portal.crm.activities.push({ ID: id, fields: { ...fields }, createdMs: context.clock.now() });
			return { result: id };
		},
	},
	'crm.activity.list': {
		scope: 'crm',
		handler: ({ params, portal, start }) => {
			const filter = asRecord(params.filter) ?? {};
			const rows = portal.crm.activities.filter((a) =>
				Object.entries(filter).every(([key, value]) =>
					key === 'ID' ? a.ID === Number(value) : String(a.fields[key]) === String(value),
				),
			);
			const page = paginate(rows, start);
			return listResult(
				page.rows.map((a) => {
					const { COMMUNICATIONS: _communications, ...rest } = a.fields;
					return {
						ID: String(a.ID),
						...Object.fromEntries(
							Object.entries(rest).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
						),
						CREATED: isoWithOffset(a.createdMs, portal.offsetMinutes),
					};
				}),
				page,
			);
		},
	},
	'crm.activity.todo.add': {
		scope: 'crm',
		handler: (context) => {
			const { params } = context;
			for (const key of ['ownerTypeId', 'ownerId', 'deadline']) {
				if (params[key] === undefined || params[key] === '')
					throw new RestError('100', `Required parameter "${key}" is missing`, 400);
			}
			if (!context.portal.crm.get(Number(params.ownerTypeId), Number(params.ownerId))) {
				throw new RestError('OWNER_NOT_FOUND', 'Owner entity not found', 400);
			}
			const id = context.portal.nextId('activity');
			context.portal.crm.activities.push({
				ID: id,
				fields: {
					OWNER_TYPE_ID: Number(params.ownerTypeId),
					OWNER_ID: Number(params.ownerId),
					TYPE_ID: 6,
					SUBJECT: params.title ?? '',
					DESCRIPTION: params.description ?? '',
					DEADLINE: params.deadline,
				},
				createdMs: context.clock.now(),
			});
			return { result: { id } };
		},
	},
};
