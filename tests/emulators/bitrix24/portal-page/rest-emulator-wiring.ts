import type { AppDefinition, Bitrix24Emulator, FrameAuth } from '../index.ts';
import type { EntityCardData } from './contact-card-page.ts';
import {
	type Bitrix24PortalPage,
	type Bitrix24PortalPageOptions,
	createBitrix24PortalPage,
} from './router.ts';
import type { FrameAuthGrant, FrameAuthProvider, PortalHandlerResolver } from './types.ts';

/** The REST emulator's frame auth in the portal's field names. */
export function toFrameAuthGrant(auth: FrameAuth): FrameAuthGrant {
	return {
		access_token: auth.accessToken,
		refresh_token: auth.refreshToken,
		expires_in: auth.expiresIn,
		member_id: auth.memberId,
		domain: auth.domain,
		server_endpoint: auth.serverEndpoint,
		application_token: auth.applicationToken,
		scope: auth.scope,
		status: auth.status,
		// Until installFinish the app opens as its installer, on its first run.
		launch: { isAdmin: auth.isAdmin, lang: auth.language, firstRun: auth.firstRun, install: auth.firstRun },
	};
}

/** Tokens the emulator's `/rest/*` accepts, minted per launch and per refreshAuth. */
export function emulatorFrameAuth(emulator: Bitrix24Emulator, domain?: string): FrameAuthProvider {
	return ({ appId, userId }) => toFrameAuthGrant(emulator.issueFrameAuth(appId, userId, domain));
}

/**
 * Handlers as the portal knows them: a placement shows what `placement.bind` registered, once the
 * app's install is finished (research §0.15); DEFAULT is an installed app's own handler URL.
 */
export function emulatorHandlers(
	emulator: Bitrix24Emulator,
	apps: readonly AppDefinition[],
	domain?: string,
): PortalHandlerResolver {
	return (placement, { appId }) => {
		const { state } = emulator.portal(domain);
		if (placement === 'DEFAULT') {
			const app = apps.find(
				(candidate) => candidate.clientId === appId && state.installs.has(candidate.clientId),
			);
			return app?.handlerUrl ? [{ appId: app.clientId, title: app.clientId, url: app.handlerUrl }] : [];
		}
		return state.placements
			.filter((binding) => binding.placement === placement && state.installs.get(binding.appId)?.installed)
			.map((binding) => ({
				appId: binding.appId,
				title: binding.title || binding.appId,
				url: binding.handler,
			}));
	};
}

/** A deal or lead card as the REST emulator's CRM holds it: its TITLE, phones and e-mails. */
export function emulatorCards(
	emulator: Bitrix24Emulator,
	domain?: string,
): (entity: 'deal' | 'lead', id: string) => EntityCardData {
	return (entity, id) => {
		const record = emulator.portal(domain).state.crm.get(entity === 'deal' ? 2 : 1, Number(id));
		if (!record) return { id, title: `${entity === 'deal' ? 'Deal' : 'Lead'} #${id} (not found)` };
		const fields: [string, string][] = [
			...record.multi
				.filter((m) => m.TYPE_ID === 'PHONE' || m.TYPE_ID === 'EMAIL')
				.map((m): [string, string] => [m.TYPE_ID === 'PHONE' ? 'Phone' : 'E-mail', m.VALUE]),
		];
		if (record.fields.CONTACT_IDS) fields.push(['Contacts', String(record.fields.CONTACT_IDS)]);
		return { id, title: String(record.fields.TITLE ?? `#${id}`), fields };
	};
}

/**
 * Serves the portal pages from a REST emulator portal's own origin, so B24Frame's REST calls (sent
 * to the iframe's DOMAIN) reach that portal directly. installFinish finishes the install there.
 */
export function mountPortalPageOnEmulator(
	emulator: Bitrix24Emulator,
	options: Bitrix24PortalPageOptions & { apps: readonly AppDefinition[]; domain?: string },
): Bitrix24PortalPage {
	const { apps, domain, ...pageOptions } = options;
	const page = createBitrix24PortalPage({
		auth: emulatorFrameAuth(emulator, domain),
		handlers: emulatorHandlers(emulator, apps, domain),
		card: emulatorCards(emulator, domain),
		onInstallFinish: (appId, installed) => {
			if (installed) emulator.finishInstall(appId, domain);
		},
		...pageOptions,
	});
	emulator.portal(domain).app.use(page.router);
	return page;
}
