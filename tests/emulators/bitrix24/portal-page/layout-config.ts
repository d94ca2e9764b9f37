import type { AppLayout } from './layout-store.ts';

/** Where the page's client script talks back to the emulator (the portal's own ajax endpoints). */
export const portalEndpoints = {
	messages: '/__portal/messages',
	refreshAuth: '/__portal/refresh-auth',
	installFinish: '/__portal/install-finish',
	options: '/__portal/options',
	script: '/__portal/frame-protocol.js',
	tabsScript: '/__portal/contact-card.js',
} as const;

/**
 * What the client script needs per layout: the same parameters a portal passes to
 * `BX.rest.AppLayout.set(placement, sid, {...})`.
 */
export interface ClientLayoutConfig {
	sid: string;
	appOrigin: string;
	placement: string;
	/** Opened when its tab is first shown (CRM tabs) rather than on page load (DEFAULT). */
	lazy: boolean;
	/** Commands the portal refuses for this layout: `setTitle` outside DEFAULT (app.layout template). */
	denied: string[];
	params: {
		lang: string;
		proto: 0 | 1;
		restPath: string;
		authId: string;
		/** A string, as the template renders `expires_in` in quotes. */
		authExpires: string;
		refreshId: string;
		memberId: string;
		firstRun: boolean;
		isAdmin: boolean;
		install: boolean;
		userOptions: Record<string, unknown>;
		appOptions: Record<string, unknown>;
		placementOptions: Record<string, string> | unknown[];
	};
}

export interface ClientPageConfig {
	layouts: ClientLayoutConfig[];
	endpoints: typeof portalEndpoints;
}

export function clientLayoutConfig(
	layout: AppLayout,
	options: { appOptions: Record<string, unknown>; userOptions: Record<string, unknown> },
): ClientLayoutConfig {
	return {
		sid: layout.sid,
		appOrigin: layout.appOrigin,
		placement: layout.placement,
		lazy: layout.placement !== 'DEFAULT',
		denied: layout.placement === 'DEFAULT' ? [] : ['setTitle'],
		params: {
			lang: layout.lang,
			proto: layout.protocol,
			restPath: '/rest/',
			authId: layout.auth.access_token,
			authExpires: String(layout.auth.expires_in),
			refreshId: layout.auth.refresh_token,
			memberId: layout.auth.member_id,
			firstRun: layout.firstRun,
			isAdmin: layout.isAdmin,
			install: layout.install,
			userOptions: options.userOptions,
			appOptions: options.appOptions,
			// PHP's empty array reaches JS as [] when a placement has no options.
			placementOptions: layout.placementOptions ?? [],
		},
	};
}
