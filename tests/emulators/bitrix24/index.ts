/**
 * Bitrix24 portal emulator: OAuth server, REST (envelopes, batch, limits), events, placements,
 * CRM and the Open Lines connector API, following /work/shared/research/bitrix24.md.
 *
 * Topology: one port per portal (`http://127.0.0.1:PORT`, domain `127.0.0.1:PORT`) so a portal is
 * an origin of its own, as b24jssdk's Frame requires (research §7.4); one more port is the OAuth
 * server (`oauth.bitrix.info`), whose `server_endpoint` is `{oauthUrl}/rest/`.
 *
 * Frame auth for the portal page (`portal-page/`): `emulator.issueFrameAuth(appId, userId?)` gives a
 * valid access/refresh pair, `expires`, `member_id`, `domain`, `appSid`, user and language for an
 * installed app; the page serves itself from `emulator.portal().app` (an express app on the portal's
 * origin) and answers `getInitData` / `refreshAuth` from it; `emulator.frameAuthProvider()` is the
 * same in the page's `FrameAuthProvider` shape.
 */

export { type AppReceiver, startAppReceiver } from './app-receiver.ts';
export { type Bitrix24Emulator, type Bitrix24EmulatorOptions, startBitrix24Emulator } from './emulator.ts';
export type { FrameAuth, InstallResult, OperatorReply, Portal } from './emulator-types.ts';
export type { EventDelivery } from './events.ts';
export { createManualClock, type ManualClock } from './manual-clock.ts';
export { addProduct, dealProductRows, type ProductRow, productsOf } from './methods/crm-product.ts';
export { buildPhpQuery, parsePhpQuery } from './php-query.ts';
export type { AppDefinition, PortalState } from './portal-state.ts';
export { completeTaskAsUser, type EmulatedTask, moveDealAsUser, tasksOf } from './tasks.ts';
