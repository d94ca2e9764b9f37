import { escapeHtml } from './html.ts';
import type { AppLayout } from './layout-store.ts';

/** `DOMAIN|PROTOCOL|APP_SID`: the SDK reads all three from the iframe's `window.name`. */
export function frameName(layout: AppLayout): string {
	return `${layout.portalHost}|${layout.protocol}|${layout.sid}`;
}

/**
 * The handler URL plus the GET part of the launch: DOMAIN, PROTOCOL, LANG and APP_SID travel in
 * the query string, everything secret in the POST body (app.layout template).
 */
export function launchUrl(layout: AppLayout): string {
	const separator = layout.handlerUrl.includes('?') ? '&' : '?';
	return `${layout.handlerUrl}${separator}DOMAIN=${encodeURIComponent(layout.portalHost).replaceAll('%3A', ':')}&PROTOCOL=${layout.protocol}&LANG=${encodeURIComponent(layout.lang)}&APP_SID=${layout.sid}`;
}

/** The hidden form the page submits into the iframe, field for field as a portal renders it. */
export function launchFormHtml(layout: AppLayout): string {
	const fields: [string, string][] = [
		['AUTH_ID', layout.auth.access_token],
		['AUTH_EXPIRES', String(layout.auth.expires_in)],
		['REFRESH_ID', layout.auth.refresh_token],
		['SERVER_ENDPOINT', layout.auth.server_endpoint ?? ''],
		['APPLICATION_TOKEN', layout.auth.application_token ?? ''],
		['APPLICATION_SCOPE', layout.auth.scope ?? ''],
		['member_id', layout.auth.member_id],
		['status', layout.auth.status ?? 'L'],
		['PLACEMENT', layout.placement],
	];
	// The portal omits PLACEMENT_OPTIONS entirely when there are none (DEFAULT).
	if (layout.placementOptions) fields.push(['PLACEMENT_OPTIONS', JSON.stringify(layout.placementOptions)]);
	const inputs = fields
		.map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
		.join('\n');
	return `<form name="appform_${layout.sid}" action="${escapeHtml(launchUrl(layout))}" method="POST" target="${escapeHtml(frameName(layout))}" hidden>
${inputs}
</form>`;
}

/** The layout box and its named iframe; the frame stays blank until the page submits the form. */
export function appLayoutHtml(layout: AppLayout): string {
	const defaultClass = layout.placement === 'DEFAULT' ? ' app-frame-layout-default' : '';
	return `<div id="appframe_layout_${layout.sid}" class="app-frame-layout${defaultClass}">
<iframe id="appframe_${layout.sid}" name="${escapeHtml(frameName(layout))}" class="app-frame app-loading" allow="geolocation *; microphone *; camera *; autoplay *;"></iframe>
</div>
${launchFormHtml(layout)}`;
}
