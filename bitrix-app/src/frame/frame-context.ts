/** The frame's auth as the connector's session endpoint takes it. */
export interface FrameAuth {
	/** The portal's host (`example.bitrix24.ru`, with a port when it has one). */
	domain: string;
	memberId: string;
	accessToken: string;
}

/**
 * What the app needs from the portal frame: a seam over b24jssdk's B24Frame so views and the
 * session keeper can be tested without a portal.
 */
export interface FrameContext {
	placement: string;
	placementOptions: Record<string, string>;
	/** The portal's interface language code (`ru`, `en`, `de`…). */
	lang: string;
	isAdmin: boolean;
	isInstallMode: boolean;
	/** The current frame auth; `fresh` asks the portal for a new token first. */
	auth(fresh?: boolean): Promise<FrameAuth>;
	/** Sets the frame's height (the portal keeps the width). */
	resize(height: number): Promise<void>;
	installFinish(): Promise<void>;
	setTitle(title: string): Promise<void>;
}
