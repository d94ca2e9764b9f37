import { escapeHtml } from './html.ts';

/** URL paths of the built-in test app (served by the portal router, on a sibling origin). */
export const testAppPaths = {
	page: '/__test-app/',
	sdk: '/__test-app/b24jssdk.js',
	script: '/__test-app/test-app.js',
} as const;

export const testAppScriptFile = new URL('./client/test-app.js', import.meta.url);

/** What the app handler received from the portal's launch form, split as the portal sends it. */
export interface LaunchRequest {
	method: string;
	/** DOMAIN, PROTOCOL, LANG, APP_SID. */
	query: Record<string, unknown>;
	/** AUTH_ID, AUTH_EXPIRES, REFRESH_ID, …, PLACEMENT, PLACEMENT_OPTIONS. */
	body: Record<string, unknown>;
	at: number;
}

/**
 * A minimal Bitrix24 app: shows what the launch form carried, then what the real B24Frame saw
 * after `initializeB24Frame()` (client/test-app.js), including one REST call.
 */
export function testAppPage(launch: LaunchRequest): string {
	const shown: [string, unknown][] = [
		['DOMAIN', launch.query.DOMAIN],
		['PROTOCOL', launch.query.PROTOCOL],
		['APP_SID', launch.query.APP_SID],
		['PLACEMENT', launch.body.PLACEMENT],
		['PLACEMENT_OPTIONS', launch.body.PLACEMENT_OPTIONS],
		['member_id', launch.body.member_id],
	];
	const rows = shown
		.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(String(value ?? '—'))}</dd>`)
		.join('');
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Nitka test app</title>
<style>body{font:14px Arial,sans-serif;margin:12px;color:#333}dt{color:#888;font-size:12px}dd{margin:0 0 6px;font-family:monospace;overflow-wrap:anywhere}</style>
</head>
<body>
<h2>Nitka test app</h2>
<h3>Launch form (${escapeHtml(launch.method)})</h3>
<dl>${rows}</dl>
<h3>B24Frame</h3>
<dl>
<dt>status</dt><dd id="sdk-status">loading</dd>
<dt>placement</dt><dd id="sdk-placement"></dd>
<dt>placement options</dt><dd id="sdk-options"></dd>
<dt>auth domain</dt><dd id="sdk-domain"></dd>
<dt>member_id</dt><dd id="sdk-member"></dd>
<dt>user.current</dt><dd id="sdk-rest"></dd>
</dl>
<script src="${testAppPaths.sdk}"></script>
<script src="${testAppPaths.script}"></script>
</body>
</html>`;
}
