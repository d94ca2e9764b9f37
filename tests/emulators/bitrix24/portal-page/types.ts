/**
 * Tokens a portal hands an app it frames, in Bitrix24's own OAuth field names. The portal puts
 * them into the placement form (AUTH_ID, AUTH_EXPIRES, REFRESH_ID, …) and into `getInitData`.
 */
export interface FrameAuthGrant {
	access_token: string;
	refresh_token: string;
	/** Seconds the access token lives (3600 on a real portal); becomes AUTH_EXPIRES. */
	expires_in: number;
	member_id: string;
	/** The portal's own domain as the REST emulator knows it; informational only. */
	domain?: string;
	/** Becomes SERVER_ENDPOINT; default `{portal origin}/rest/`-style OAuth server of the emulator. */
	server_endpoint?: string;
	application_token?: string;
	/** Comma-separated scopes; becomes APPLICATION_SCOPE. */
	scope?: string;
	/** App status letter (L, F, D, T, P); becomes `status`. */
	status?: string;
	/** Facts about this launch the provider knows better than the page options (which they override). */
	launch?: FrameLaunchHints;
}

export interface FrameLaunchHints {
	/** IS_ADMIN: the user is a portal admin. */
	isAdmin?: boolean;
	/** LANG of the launch and of getInitData. */
	lang?: string;
	/** FIRST_RUN: the SDK answers it with setInstall. */
	firstRun?: boolean;
	/** INSTALL: the app opens as its own installer (not yet finished). */
	install?: boolean;
}

/** What the page asks for when it frames an app, and again on every `refreshAuth`. */
export interface FrameAuthRequest {
	appId: string;
	userId: number;
	placement: string;
}

/**
 * Issues frame tokens. A real portal mints a fresh pair server-side for the current user both when
 * it renders the app and when the app asks `refreshAuth`; the app's refresh token is never sent.
 * Plug the REST emulator in here so the tokens are valid for its `/rest/*`.
 */
export type FrameAuthProvider = (request: FrameAuthRequest) => FrameAuthGrant | Promise<FrameAuthGrant>;

/** One app handler a page frames: the app's URL for a placement (placement.bind HANDLER). */
export interface PortalAppHandler {
	appId: string;
	/** Tab caption / page heading. */
	title: string;
	/** Absolute URL the placement form is POSTed to. */
	url: string;
}

/**
 * Which handlers a placement shows. `portalOrigin` is the origin the page is served from, so a
 * resolver can point at an app on a sibling origin (the built-in test app does).
 */
export type PortalHandlerResolver = (
	placement: string,
	context: { portalOrigin: string; appId?: string },
) => readonly PortalAppHandler[] | Promise<readonly PortalAppHandler[]>;
