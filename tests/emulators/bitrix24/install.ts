import type { FrameAuth } from './emulator-types.ts';
import type { EmitOptions, EventDispatcher } from './events.ts';
import type { OAuthServer } from './oauth.ts';
import { buildPhpQuery, type PhpRecord } from './php-query.ts';
import { type AppDefinition, type PortalState, randomHex } from './portal-state.ts';

/** Tokens and identity of a frame opened for an installed app. */
export function frameAuth(
	oauth: OAuthServer,
	portal: PortalState,
	app: AppDefinition,
	userId: number,
): FrameAuth {
	const install = portal.installs.get(app.clientId);
	if (!install) throw new Error(`app ${app.clientId} is not installed on ${portal.domain}`);
	const pair = oauth.issue(portal.domain, app.clientId, userId);
	const user = portal.users.get(userId);
	return {
		accessToken: pair.accessToken,
		refreshToken: pair.refreshToken,
		expires: pair.expires,
		expiresIn: pair.expiresIn,
		memberId: portal.memberId,
		domain: portal.domain,
		protocol: 0,
		appSid: install.appSid,
		userId,
		isAdmin: user?.ADMIN ?? false,
		language: user?.LANGUAGE_ID ?? portal.language,
		serverEndpoint: oauth.serverEndpoint,
		clientEndpoint: portal.clientEndpoint,
		applicationToken: install.applicationToken,
		scope: pair.scope,
		status: app.status ?? 'L',
		firstRun: !install.installed,
	};
}

/** The form fields of an app page or placement POST, in CORE app.layout template.php order (research §1.1). */
export function pageForm(
	auth: FrameAuth,
	placement: string,
	placementOptions?: Record<string, unknown>,
): PhpRecord {
	const form: PhpRecord = {
		AUTH_ID: auth.accessToken,
		AUTH_EXPIRES: auth.expiresIn,
		REFRESH_ID: auth.refreshToken,
		SERVER_ENDPOINT: auth.serverEndpoint,
		APPLICATION_TOKEN: auth.applicationToken,
		APPLICATION_SCOPE: auth.scope,
		member_id: auth.memberId,
		status: auth.status,
		PLACEMENT: placement,
	};
	// PLACEMENT_OPTIONS is a JSON string, and absent for the DEFAULT page.
	if (placement !== 'DEFAULT' || placementOptions)
		form.PLACEMENT_OPTIONS = JSON.stringify(placementOptions ?? {});
	return form;
}

/** `handlerUrl?DOMAIN=…&PROTOCOL=…&LANG=…&APP_SID=…`. */
export function pageUrl(handler: string, auth: FrameAuth): string {
	const url = new URL(handler);
	url.searchParams.set('DOMAIN', auth.domain);
	url.searchParams.set('PROTOCOL', String(auth.protocol));
	url.searchParams.set('LANG', auth.language);
	url.searchParams.set('APP_SID', auth.appSid);
	return url.toString();
}

/** POSTs a page form the way the browser submits the hidden form into the iframe. */
export async function postPage(
	url: string,
	form: PhpRecord,
): Promise<{ url: string; body: string; status?: number; error?: string; text?: string }> {
	const body = buildPhpQuery(form);
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body,
		});
		return { url, body, status: response.status, text: await response.text() };
	} catch (error) {
		return { url, body, error: error instanceof Error ? error.message : String(error) };
	}
}

/** The ONAPPINSTALL payload of research §1.2: the only event that carries a refresh token. */
export function installEventPayload(
	events: EventDispatcher,
	portal: PortalState,
	app: AppDefinition,
	userId: number,
	nowMs: number,
): PhpRecord {
	return {
		event: 'ONAPPINSTALL',
		data: { VERSION: app.version ?? '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: portal.language },
		ts: String(Math.floor(nowMs / 1000)),
		auth: events.authBlock(portal, app.clientId, userId, { withRefreshToken: true } satisfies EmitOptions),
	};
}

/** ONAPPUNINSTALL (research §1.3): no tokens, API access already revoked. */
export function uninstallEventPayload(
	events: EventDispatcher,
	portal: PortalState,
	app: AppDefinition,
	clean: boolean,
	nowMs: number,
): PhpRecord {
	return {
		event: 'ONAPPUNINSTALL',
		data: { LANGUAGE_ID: portal.language, CLEAN: clean ? 1 : 0 },
		ts: String(Math.floor(nowMs / 1000)),
		auth: events.authBlock(portal, app.clientId, 0, { withoutTokens: true }),
	};
}

export const newApplicationToken = () => randomHex(16);
export const newAppSid = () => randomHex(16);
