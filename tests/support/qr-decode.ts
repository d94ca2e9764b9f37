import jsqr from 'jsqr';

/**
 * Reads QR codes for tests: the SVG `qrcode` renders is turned back into its modules, drawn as a
 * bitmap and decoded by jsQR, a decoder independent of the encoder (the counter screen uses it
 * too), so a test proves that a real scanner reads what we serve.
 */

/** The dark modules of a `qrcode` SVG: `dark[row][col]`, without the quiet zone. */
export function svgModules(svg: string): boolean[][] {
	const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
	const path = /<path[^>]*stroke="[^"]*"[^>]*\sd="([^"]*)"/.exec(svg)?.[1];
	if (!size || path === undefined) throw new Error('not a qrcode SVG');
	const cells: [number, number][] = [];
	let x = 0;
	let y = 0;
	let minX = Number.POSITIVE_INFINITY;
	let maxX = 0;
	for (const [, cmd, a, b] of path.matchAll(/([MmhHvV])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
		const n = Number(a);
		if (cmd === 'M') {
			x = n;
			y = Number(b);
		} else if (cmd === 'm') {
			x += n;
			y += Number(b ?? 0);
		} else if (cmd === 'h') {
			for (let i = 0; i < n; i++) cells.push([Math.floor(y), x + i]);
			minX = Math.min(minX, x);
			maxX = Math.max(maxX, x + n - 1);
			x += n;
		}
	}
	// The finder patterns put dark modules in the first and last columns: that fixes the margin.
	const margin = minX;
	const n = size - margin * 2;
	if (maxX !== margin + n - 1) throw new Error('unexpected QR geometry');
	const dark = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
	for (const [row, col] of cells) dark[row - margin]![col - margin] = true;
	return dark;
}

/** Decodes a QR symbol's modules to its text. */
export function decodeQrModules(dark: boolean[][]): string {
	const scale = 4;
	const quiet = 4;
	const side = (dark.length + quiet * 2) * scale;
	const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
	dark.forEach((row, r) => {
		row.forEach((on, c) => {
			if (!on) return;
			for (let y = 0; y < scale; y++) {
				for (let x = 0; x < scale; x++) {
					const at = (((r + quiet) * scale + y) * side + (c + quiet) * scale + x) * 4;
					pixels.fill(0, at, at + 3);
				}
			}
		});
	});
	// jsqr is CommonJS: under Node's interop its function is the module's `default` export.
	const found = jsqr.default(pixels, side, side, { inversionAttempts: 'dontInvert' });
	if (!found) throw new Error('no QR code found');
	return found.data;
}

/** Reads the text of a QR SVG as `qrcode` renders it. */
export function decodeQrSvg(svg: string): string {
	return decodeQrModules(svgModules(svg));
}
