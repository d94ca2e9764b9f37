/**
 * The card page's stylesheet and script, served from /card/assets/ so the page's CSP can stay
 * strict (`script-src 'self'`, no inline code). The script swaps the QR image for a fresh one
 * every 30 s and when the page becomes visible again; a refused image (an expired link) is shown
 * as stale instead of a broken icon.
 */

export const CARD_CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1c1d21;background:#f3f1ec;display:flex;justify-content:center;align-items:flex-start}
main{width:100%;max-width:420px;margin:0 auto;padding:20px 16px 32px}
.card{background:#fff;border-radius:18px;box-shadow:0 2px 14px rgba(0,0,0,.08);padding:22px 20px;text-align:center}
.shop{margin:0 0 4px;font-size:1.35rem;font-weight:650;letter-spacing:-.01em}
.hello{margin:0 0 16px;color:#55575e}
.qr{display:block;width:min(72vw,280px);height:auto;aspect-ratio:1;margin:0 auto;image-rendering:pixelated;
border-radius:8px;transition:opacity .2s}
.qr.stale{opacity:.15}
.hint{margin:14px 0 0;color:#55575e;font-size:.95rem}
.number{margin:18px 0 0;padding-top:14px;border-top:1px solid #ebe8e1}
.number span{display:block;color:#55575e;font-size:.85rem}
.number strong{display:block;font:600 1.35rem/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.04em}
.foot{margin:16px 4px 0;color:#6b6d74;font-size:.8rem;text-align:center}
.foot a{color:inherit}
.gone{text-align:left}
.gone h1{font-size:1.25rem;margin:0 0 8px}
@media (prefers-color-scheme:dark){body{background:#131416;color:#ececef}.card{background:#1f2124;box-shadow:none}
.hello,.hint,.number span{color:#a7a9b0}.number{border-color:#33363b}.qr{background:#fff;padding:6px}}
`;

export const CARD_JS = `(function () {
	var img = document.getElementById('qr');
	if (!img) return;
	var source = img.getAttribute('data-src');
	var every = Number(img.getAttribute('data-refresh-ms')) || 30000;
	function refresh() {
		var next = new Image();
		next.onload = function () {
			img.src = next.src;
			img.classList.remove('stale');
		};
		next.onerror = function () {
			img.classList.add('stale');
		};
		next.src = source + '?t=' + Date.now();
	}
	setInterval(refresh, every);
	document.addEventListener('visibilitychange', function () {
		if (!document.hidden) refresh();
	});
})();
`;

/** The tab icon (a card), so browsers do not ask the connector's root for a favicon. */
export const CARD_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="6" width="28" height="20" rx="4" fill="#1c1d21"/><rect x="6" y="11" width="8" height="8" rx="1" fill="#fff"/><rect x="17" y="12" width="9" height="2" fill="#fff"/><rect x="17" y="17" width="6" height="2" fill="#fff"/></svg>
`;
