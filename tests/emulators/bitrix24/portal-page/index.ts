/**
 * An emulated Bitrix24 portal page that frames an app exactly as a portal does (research §6, §7.4):
 * iframe named `DOMAIN|PROTOCOL|APP_SID`, the launch form POSTed into it, and the parent side of
 * the postMessage protocol that b24jssdk's B24Frame speaks. Every message is recorded
 * (`page.messages`, and `window.__portal.messages` in the page).
 *
 * On the REST emulator (REST must share the page's origin, because B24Frame sends REST to DOMAIN):
 *   const page = mountPortalPageOnEmulator(emulator, { apps: [app] });
 *   // browse `${emulator.url}${contactCardPath(42)}` or `${emulator.url}${appPagePath(app.clientId)}`
 * Standalone: `startBitrix24PortalPage({ auth, restUpstream? })`. The built-in test app lives at
 * `testAppUrl(portalOrigin)`.
 */
export type { ContactCardData, CrmCardEntity, EntityCardData } from './contact-card-page.ts';
export { createFakeFrameAuthProvider } from './fake-auth-provider.ts';
export { type PortalMessage, PortalMessageLog } from './message-log.ts';
export {
	emulatorCards,
	emulatorFrameAuth,
	emulatorHandlers,
	mountPortalPageOnEmulator,
	toFrameAuthGrant,
} from './rest-emulator-wiring.ts';
export {
	type Bitrix24PortalPage,
	type Bitrix24PortalPageOptions,
	createBitrix24PortalPage,
	testAppHandlers,
	testAppId,
	testAppUrl,
} from './router.ts';
export { findB24JsSdkBundle } from './sdk-bundle.ts';
export {
	type RunningBitrix24PortalPage,
	type StartBitrix24PortalPageOptions,
	startBitrix24PortalPage,
} from './standalone.ts';
export type { LaunchRequest } from './test-app-page.ts';
export type {
	FrameAuthGrant,
	FrameAuthProvider,
	FrameAuthRequest,
	FrameLaunchHints,
	PortalAppHandler,
	PortalHandlerResolver,
} from './types.ts';
export { appPagePath, contactCardPath, dealCardPath, leadCardPath } from './urls.ts';
