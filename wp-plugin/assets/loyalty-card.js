/* Nitka: swaps the loyalty card's QR for a fresh one every 30 s (each load is a new single-use token). */
(() => {
	var images = document.querySelectorAll('img.nitka-card__qr[data-src]');
	Array.prototype.forEach.call(images, (img) => {
		var source = img.getAttribute('data-src');
		var every = Number(img.getAttribute('data-refresh-ms')) || 30000;
		function refresh() {
			var next = new Image();
			next.referrerPolicy = 'no-referrer';
			next.onload = () => {
				img.src = next.src;
				img.classList.remove('nitka-card__qr--stale');
			};
			next.onerror = () => {
				img.classList.add('nitka-card__qr--stale');
			};
			next.src = `${source}${source.includes('?') ? '&' : '?'}t=${Date.now()}`;
		}
		setInterval(refresh, every);
		document.addEventListener('visibilitychange', () => {
			if (!document.hidden) refresh();
		});
	});
})();
