import type { BatchCommand, Bitrix24RestClient } from './rest-client.ts';

export const CONNECTOR_ID = 'nitka';

/** Events we handle (research §5.3, §6.2); CRM and connector events are also bound offline for reconciliation. */
export const ONLINE_EVENTS = [
	'ONAPPUNINSTALL',
	'ONIMCONNECTORMESSAGEADD',
	'ONCRMCONTACTDELETE',
	'ONCRMCONTACTUPDATE',
] as const;
export const OFFLINE_EVENTS = ['ONIMCONNECTORMESSAGEADD', 'ONCRMCONTACTDELETE'] as const;
export const TAB_PLACEMENTS = [
	'CRM_CONTACT_DETAIL_TAB',
	'CRM_DEAL_DETAIL_TAB',
	'CRM_LEAD_DETAIL_TAB',
] as const;

// A thread in a circle: Nitka's connector tile in the contact center.
const ICON =
	'data:image/svg+xml;charset=US-ASCII,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%20viewBox%3D%220%200%2070%2071%22%3E%3Ccircle%20cx%3D%2235%22%20cy%3D%2235%22%20r%3D%2230%22%20fill%3D%22%23fff%22%2F%3E%3Cpath%20d%3D%22M15%2040c10-20%2030%2020%2040-5%22%20stroke%3D%22%232fc6f6%22%20stroke-width%3D%226%22%20fill%3D%22none%22%2F%3E%3C%2Fsvg%3E';

/** "Already bound" is success on a re-install: handlers survive unless the app was updated. */
const alreadyBound = (description: string) => /already binded|already bound/i.test(description);

/**
 * Binds our events and CRM tabs and registers the Open Lines connector, in one batch request.
 * Returns the commands that failed for another reason than "already bound".
 */
export async function bindPortal(
	client: Bitrix24RestClient,
	urls: { events: string; app: string },
): Promise<Record<string, string>> {
	const commands: Record<string, BatchCommand> = {};
	for (const event of ONLINE_EVENTS)
		commands[`on_${event}`] = { method: 'event.bind', params: { event, handler: urls.events } };
	for (const event of OFFLINE_EVENTS) {
		commands[`off_${event}`] = {
			method: 'event.bind',
			params: { event, handler: `${urls.events}?offline=1`, event_type: 'offline' },
		};
	}
	for (const placement of TAB_PLACEMENTS) {
		commands[placement] = {
			method: 'placement.bind',
			params: {
				PLACEMENT: placement,
				HANDLER: urls.app,
				TITLE: 'Nitka',
				LANG_ALL: { ru: { TITLE: 'Nitka: история клиента' }, en: { TITLE: 'Nitka timeline' } },
			},
		};
	}
	commands.connector = {
		method: 'imconnector.register',
		params: {
			ID: CONNECTOR_ID,
			NAME: 'Nitka: Telegram, VK, MAX',
			ICON: { DATA_IMAGE: ICON, COLOR: '#2fc6f6', SIZE: '100%', POSITION: 'center' },
			PLACEMENT_HANDLER: urls.app,
		},
	};
	const outcome = await client.batch(commands);
	const failed: Record<string, string> = {};
	for (const [key, error] of Object.entries(outcome.errors)) {
		if (!alreadyBound(error.description)) failed[key] = `${error.code}: ${error.description}`;
	}
	const registered = outcome.results.connector as { result?: boolean; error?: string } | undefined;
	if (registered && registered.result === false) failed.connector = String(registered.error);
	return failed;
}
