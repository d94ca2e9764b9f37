import { type AuthData, initializeB24Frame } from '@bitrix24/b24jssdk';
import type { FrameAuth, FrameContext } from './frame-context.ts';

function toFrameAuth(data: AuthData | false): FrameAuth {
	if (!data) throw new Error('the portal gave the app no auth');
	return {
		// The SDK's domain is the portal origin; the connector keys portals by host, as DOMAIN is.
		domain: new URL(data.domain).host,
		memberId: data.member_id,
		accessToken: data.access_token,
	};
}

/** Performs the b24jssdk frame handshake with the portal page and adapts it to FrameContext. */
export async function connectFrame(): Promise<FrameContext> {
	const b24 = await initializeB24Frame();
	const options = (b24.placement.options ?? {}) as Record<string, unknown>;
	const placementOptions: Record<string, string> = {};
	for (const [key, value] of Object.entries(options)) placementOptions[key] = String(value);
	return {
		placement: b24.placement.placement || 'DEFAULT',
		placementOptions,
		lang: String(b24.getLang() ?? 'en'),
		isAdmin: b24.auth.isAdmin,
		isInstallMode: b24.isInstallMode,
		auth: async (fresh = false) => toFrameAuth(fresh ? await b24.auth.refreshAuth() : b24.auth.getAuthData()),
		resize: async (height) => {
			await b24.parent.resizeWindow(Math.max(1, document.documentElement.scrollWidth), height);
		},
		installFinish: async () => {
			// Never resolves on a real portal: the page navigates away.
			void b24.installFinish();
		},
		setTitle: async (title) => {
			await b24.parent.setTitle(title).catch(() => undefined);
		},
	};
}
