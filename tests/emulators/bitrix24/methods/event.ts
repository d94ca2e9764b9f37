import { z } from 'zod';
import type { MethodGroup } from '../method-types.ts';
import { RestError } from '../rest-envelope.ts';

/** Events this emulator can fire; binding anything else gets ERROR_EVENT_NOT_FOUND. */
const knownEvents: Record<string, string | undefined> = {
	ONAPPINSTALL: undefined,
	ONAPPUNINSTALL: undefined,
	ONAPPUPDATE: undefined,
	ONCRMCONTACTADD: 'crm',
	ONCRMCONTACTUPDATE: 'crm',
	ONCRMCONTACTDELETE: 'crm',
	ONCRMDEALADD: 'crm',
	ONCRMDEALUPDATE: 'crm',
	ONCRMDEALDELETE: 'crm',
	ONCRMDEALMOVETOCATEGORY: 'crm',
	ONCRMLEADADD: 'crm',
	ONCRMLEADUPDATE: 'crm',
	ONCRMLEADDELETE: 'crm',
	ONCRMCOMPANYADD: 'crm',
	ONCRMCOMPANYUPDATE: 'crm',
	ONCRMCOMPANYDELETE: 'crm',
	ONTASKADD: 'task',
	ONTASKUPDATE: 'task',
	ONTASKDELETE: 'task',
	ONTASKCOMMENTADD: 'task',
	ONIMCONNECTORMESSAGEADD: 'imconnector',
	ONIMCONNECTORMESSAGEUPDATE: 'imconnector',
	ONIMCONNECTORMESSAGEDELETE: 'imconnector',
	ONIMCONNECTORDIALOGSTART: 'imconnector',
	ONIMCONNECTORDIALOGFINISH: 'imconnector',
	ONIMCONNECTORSTATUSDELETE: 'imconnector',
	ONIMCONNECTORLINEDELETE: 'imconnector',
};

const bindSchema = z.object({
	event: z.string().min(1),
	handler: z.string().min(1),
	auth_type: z.coerce.number().int().optional(),
	event_type: z.enum(['online', 'offline']).optional(),
});

/** Handler URLs must be http(s) and their host must contain a dot (research §8.9). */
function checkHandler(handler: string): void {
	let url: URL;
	try {
		url = new URL(handler);
	} catch {
		throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new RestError('ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported event handler protocol', 400);
	}
	if (!url.hostname.includes('.')) throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
}

/** `event.bind` / `event.get` / `event.unbind` (research §6.2); app context only. */
export const eventMethods: MethodGroup = {
	'event.bind': {
		appOnly: true,
		handler: ({ params, portal, caller }) => {
			const parsed = bindSchema.safeParse(params);
			if (!parsed.success) throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found', 400);
			const event = parsed.data.event.toUpperCase();
			if (!(event in knownEvents)) throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found', 400);
			const scope = knownEvents[event];
			if (scope && !caller.scope.includes(scope))
				throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found', 400);
			checkHandler(parsed.data.handler);
			const appId = caller.appId ?? '';
			const authType = parsed.data.auth_type ?? 0;
			if (
				portal.events.some(
					(b) =>
						b.appId === appId &&
						b.event === event &&
						b.handler === parsed.data.handler &&
						b.authType === authType,
				)
			) {
				throw new RestError('ERROR_CORE', 'Unable to set event handler: Handler already binded', 400);
			}
			portal.events.push({
				id: portal.nextId('event-handler'),
				appId,
				event,
				handler: parsed.data.handler,
				authType,
				offline: parsed.data.event_type === 'offline',
			});
			return { result: true };
		},
	},
	'event.get': {
		appOnly: true,
		handler: ({ portal, caller }) => ({
			result: portal.events
				.filter((b) => b.appId === caller.appId)
				.map((b) => ({
					event: b.event,
					handler: b.handler,
					auth_type: String(b.authType),
					offline: b.offline ? 1 : 0,
				})),
		}),
	},
	'event.unbind': {
		appOnly: true,
		handler: ({ params, portal, caller }) => {
			const event = String(params.event ?? '').toUpperCase();
			const handler = params.handler === undefined ? undefined : String(params.handler);
			const authType = params.auth_type === undefined ? undefined : Number(params.auth_type);
			const before = portal.events.length;
			portal.events = portal.events.filter(
				(b) =>
					!(
						b.appId === caller.appId &&
						b.event === event &&
						(handler === undefined || b.handler === handler) &&
						(authType === undefined || b.authType === authType)
					),
			);
			return { result: { count: before - portal.events.length } };
		},
	},
};
