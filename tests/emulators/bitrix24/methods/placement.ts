import type { MethodGroup } from '../method-types.ts';
import { RestError } from '../rest-envelope.ts';

/** Placement codes this emulator knows, with the scope each needs besides `placement`. */
function placementScope(code: string): string | undefined {
	if (
		/^CRM_(LEAD|DEAL|CONTACT|COMPANY|QUOTE|SMART_INVOICE|ORDER|DYNAMIC_\d+)_(DETAIL_TAB|DETAIL_ACTIVITY|LIST_MENU|DETAIL_TOOLBAR)$/.test(
			code,
		)
	) {
		return 'crm';
	}
	if (code === 'REST_APP_URI' || code === 'PAGE_BACKGROUND_WORKER' || code === 'LEFT_MENU')
		return 'placement';
	if (code === 'IM_NAVIGATION' || code === 'IM_TEXTAREA' || code === 'IM_SIDEBAR') return 'im';
	return undefined;
}

const argumentError = (argument: string) =>
	new RestError('ERROR_ARGUMENT', `Argument '${argument}' is null or empty`, 400, { argument });

/** `placement.bind` / `placement.get` / `placement.unbind` (research §6.1): app context and an admin. */
export const placementMethods: MethodGroup = {
	'placement.bind': {
		appOnly: true,
		scope: 'placement',
		handler: ({ params, portal, caller }) => {
			const placement = String(params.PLACEMENT ?? '').toUpperCase();
			const handler = String(params.HANDLER ?? '');
			if (!placement) throw argumentError('PLACEMENT');
			if (!handler) throw argumentError('HANDLER');
			if (!portal.users.get(caller.userId)?.ADMIN)
				throw new RestError('ACCESS_DENIED', 'Access denied! Admin permissions required', 403);
			const scope = placementScope(placement);
			if (placement === 'DEFAULT' || !scope || !caller.scope.includes(scope)) {
				throw new RestError('PLACEMENT_NOT_FOUND', 'Placement not found', 400);
			}
			const appId = caller.appId ?? '';
			if (
				portal.placements.some((p) => p.appId === appId && p.placement === placement && p.handler === handler)
			) {
				throw new RestError('ERROR_CORE', 'Unable to set placement handler: Handler already binded', 400);
			}
			const record = (value: unknown) =>
				value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
			portal.placements.push({
				id: portal.nextId('placement'),
				appId,
				placement,
				handler,
				title: String(params.TITLE ?? ''),
				description: String(params.DESCRIPTION ?? ''),
				groupName: String(params.GROUP_NAME ?? ''),
				langAll: record(params.LANG_ALL),
				options: record(params.OPTIONS),
				userId: Number(params.USER_ID ?? 0),
			});
			return { result: true };
		},
	},
	'placement.get': {
		appOnly: true,
		scope: 'placement',
		handler: ({ portal, caller }) => ({
			result: portal.placements
				.filter((p) => p.appId === caller.appId)
				.map((p) => ({
					placement: p.placement,
					userId: p.userId,
					handler: p.handler,
					options: p.options,
					title: p.title,
					description: p.description,
					groupName: p.groupName,
					langAll: p.langAll,
				})),
		}),
	},
	'placement.unbind': {
		appOnly: true,
		scope: 'placement',
		handler: ({ params, portal, caller }) => {
			const placement = String(params.PLACEMENT ?? '').toUpperCase();
			if (!placement) throw argumentError('PLACEMENT');
			const handler = params.HANDLER === undefined ? undefined : String(params.HANDLER);
			const before = portal.placements.length;
			portal.placements = portal.placements.filter(
				(p) =>
					!(
						p.appId === caller.appId &&
						p.placement === placement &&
						(handler === undefined || p.handler === handler)
					),
			);
			return { result: { count: before - portal.placements.length } };
		},
	},
};
