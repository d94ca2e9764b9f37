import { asRecord, listResult, paginate } from '../crm-query.ts';
import type { MethodContext, MethodGroup } from '../method-types.ts';
import { isoWithOffset, RestError } from '../rest-envelope.ts';

const ownerTypes: Record<string, number> = { lead: 1, deal: 2, contact: 3, company: 4 };
const icons = ['info', 'call', 'arrow-down', 'arrow-up', 'comment', 'mail', 'chat', 'check', 'attention'];

function ownerExists(context: MethodContext, entityTypeId: number, id: number): boolean {
	return context.portal.crm.get(entityTypeId, id) !== undefined;
}

/** `crm.timeline.comment.add`, `crm.timeline.logmessage.add/get/list`, `crm.timeline.icon.list` (research §4.7). */
export const crmTimelineMethods: MethodGroup = {
	'crm.timeline.comment.add': {
		scope: 'crm',
		handler: (context) => {
			// The key must be lowercase `fields` (crm ≥ 23.100.0).
			const fields = asRecord(context.params.fields);
			if (!fields) throw new RestError('100', 'Expected argument "fields" is missing', 400);
			const entityType = String(fields.ENTITY_TYPE ?? '').toLowerCase();
			const entityId = Number(fields.ENTITY_ID);
			const comment = String(fields.COMMENT ?? '');
			if (!comment.trim()) throw new RestError('INVALID_ARG_VALUE', 'Comment is empty', 400);
			const entityTypeId = ownerTypes[entityType];
			if (!entityTypeId || !ownerExists(context, entityTypeId, entityId)) {
				throw new RestError('OWNER_NOT_FOUND', 'Owner entity not found', 400);
			}
			const id = context.portal.nextId('timeline');
			context.portal.crm.comments.push({
				ID: id,
				ENTITY_ID: entityId,
				ENTITY_TYPE: entityType,
				COMMENT: comment,
				AUTHOR_ID: context.caller.userId,
				CREATED: context.clock.now(),
			});
			return { result: id };
		},
	},
	'crm.timeline.logmessage.add': {
		scope: 'crm',
		handler: (context) => {
			const fields = asRecord(context.params.fields);
			if (!fields) throw new RestError('100', 'Expected argument "fields" is missing', 400);
			for (const key of ['entityTypeId', 'entityId', 'title', 'text', 'iconCode']) {
				if (fields[key] === undefined || fields[key] === '') {
					throw new RestError('100', `Required field "${key}" is missing`, 400);
				}
			}
			const entityTypeId = Number(fields.entityTypeId);
			const entityId = Number(fields.entityId);
			if (!ownerExists(context, entityTypeId, entityId))
				throw new RestError('OWNER_NOT_FOUND', 'Owner entity not found', 400);
			const message = {
				id: context.portal.nextId('timeline'),
				entityTypeId,
				entityId,
				title: String(fields.title),
				text: String(fields.text),
				iconCode: String(fields.iconCode),
				authorId: context.caller.userId,
				appId: context.caller.appId ?? '',
				created: context.clock.now(),
			};
			context.portal.crm.logMessages.push(message);
			return { result: { logMessage: render(message, context.portal.offsetMinutes) } };
		},
	},
	'crm.timeline.logmessage.get': {
		scope: 'crm',
		handler: (context) => {
			const found = context.portal.crm.logMessages.find((m) => m.id === Number(context.params.id));
			if (!found) throw new RestError('NOT_FOUND', 'Element not found', 400);
			return { result: { logMessage: render(found, context.portal.offsetMinutes) } };
		},
	},
	'crm.timeline.logmessage.list': {
		scope: 'crm',
		handler: ({ params, portal, start }) => {
			const entityTypeId = Number(params.entityTypeId);
			const entityId = Number(params.entityId);
			// Newest first unless asked otherwise (id or created, asc), always 10 a page (apidocs
			// crm-timeline-logmessage-list: "The page size of results is always static: 10 entries").
			const order = asRecord(params.order) ?? {};
			const ascending = String(order.id ?? order.created ?? 'desc').toLowerCase() === 'asc';
			const rows = portal.crm.logMessages
				.filter((m) => m.entityTypeId === entityTypeId && m.entityId === entityId)
				.sort((a, b) => (ascending ? a.id - b.id : b.id - a.id));
			const page = paginate(rows, start, 10);
			return listResult({ logMessages: page.rows.map((m) => render(m, portal.offsetMinutes)) }, page);
		},
	},
	'crm.timeline.icon.list': {
		scope: 'crm',
		handler: () => ({
			result: {
				icons: icons.map((code) => ({
					code,
					isSystem: true,
					fileUri: `/bitrix/images/crm/timeline/${code}.svg`,
				})),
			},
		}),
	},
};

function render(
	message: { id: number; created: number; authorId: number; title: string; text: string; iconCode: string },
	offset: number,
) {
	return {
		id: message.id,
		created: isoWithOffset(message.created, offset),
		authorId: message.authorId,
		title: message.title,
		text: message.text,
		iconCode: message.iconCode,
	};
}
