import { escapeHtml, jsonForScript } from './html.ts';
import { type ClientLayoutConfig, type ClientPageConfig, portalEndpoints } from './layout-config.ts';

/** Path of the parent-window protocol script, served as a static file (see client/frame-protocol.js). */
export const frameProtocolScriptFile = new URL('./client/frame-protocol.js', import.meta.url);
export const contactCardScriptFile = new URL('./client/contact-card.js', import.meta.url);

/**
 * The page-side half of the frame protocol: the layouts' config as inert JSON, the slider that
 * openApplication/openPath open, and the script that answers the apps' postMessages.
 */
export function frameProtocolHtml(layouts: ClientLayoutConfig[]): string {
	const config: ClientPageConfig = { layouts, endpoints: portalEndpoints };
	return `<aside id="b24-slider" class="b24-slider" hidden>
<button type="button" id="b24-slider-close">Close</button>
<p data-slider-text></p>
</aside>
<script type="application/json" id="b24-portal-config">${jsonForScript(config)}</script>
<script src="${escapeHtml(portalEndpoints.script)}"></script>`;
}
