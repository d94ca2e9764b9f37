/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string | number): string {
	return String(value)
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<` is escaped so no value can
 * close the script element, and U+2028/9 so the text is also valid JavaScript.
 */
export function jsonForScript(value: unknown): string {
	return JSON.stringify(value)
		.replaceAll('<', '\\u003c')
		.replaceAll('\u2028', '\\u2028')
		.replaceAll('\u2029', '\\u2029');
}

const styles = `
body{margin:0;font:14px/1.4 "Helvetica Neue",Arial,sans-serif;background:#eef2f4;color:#333}
.b24-top{height:56px;background:#2fc6f6;color:#fff;display:flex;align-items:center;padding:0 24px;font-size:18px;font-weight:600}
.b24-top small{font-weight:400;opacity:.8;margin-left:12px;font-size:13px}
.b24-main{padding:20px 24px}
.b24-title{font-size:24px;margin:0 0 16px}
.b24-tabs{display:flex;gap:2px;border-bottom:1px solid #dfe3e6}
.b24-tab{padding:10px 18px;background:#f5f7f8;border:1px solid #dfe3e6;border-bottom:0;border-radius:6px 6px 0 0;cursor:pointer;color:#525c69}
.b24-tab[aria-selected="true"]{background:#fff;color:#333;font-weight:600}
.b24-panel{background:#fff;border-radius:0 0 8px 8px;padding:18px;min-height:200px}
.b24-panel[hidden]{display:none}
.b24-fields dt{color:#80868e;font-size:12px;margin-top:10px}
.b24-fields dd{margin:2px 0 0}
.app-frame-layout{width:100%;height:400px}
.app-frame-layout iframe{width:100%;height:100%;border:0;background:#fff}
.b24-slider{position:fixed;inset:0 0 0 30%;background:#fff;box-shadow:-4px 0 16px rgba(0,0,0,.2);padding:16px}
.b24-slider[hidden]{display:none}
`;

/** The portal chrome around every emulated page: top bar, heading, then `body`. */
export function portalShell(input: { title: string; portalHost: string; body: string }): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>${styles}</style>
</head>
<body>
<header class="b24-top">Bitrix24<small>${escapeHtml(input.portalHost)} · emulated portal</small></header>
<main class="b24-main">
<h1 class="b24-title" id="b24-page-title">${escapeHtml(input.title)}</h1>
${input.body}
</main>
</body>
</html>`;
}
