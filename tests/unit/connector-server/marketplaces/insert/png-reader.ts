import { inflateSync } from 'node:zlib';

export interface Bitmap {
	width: number;
	height: number;
	/** Luminance 0..255 of the pixel at (x, y). */
	gray(x: number, y: number): number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** A minimal PNG reader for 8-bit gray/RGB(A), non-interlaced: enough to read a QR back. */
export function readPng(png: Buffer): Bitmap {
	if (!png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])))
		throw new Error('not a PNG');
	let offset = 8;
	let width = 0;
	let height = 0;
	let channels = 0;
	const idat: Buffer[] = [];
	while (offset < png.length) {
		const length = png.readUInt32BE(offset);
		const type = png.toString('latin1', offset + 4, offset + 8);
		const data = png.subarray(offset + 8, offset + 8 + length);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit, non-interlaced');
			channels = CHANNELS[data[9] ?? -1] ?? 0;
			if (!channels) throw new Error(`colour type ${data[9]}`);
		}
		if (type === 'IDAT') idat.push(data);
		offset += 12 + length;
	}
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const pixels = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		for (let i = 0; i < stride; i++) {
			const x = raw[y * (stride + 1) + 1 + i] ?? 0;
			const a = i >= channels ? (pixels[y * stride + i - channels] ?? 0) : 0;
			const b = y > 0 ? (pixels[(y - 1) * stride + i] ?? 0) : 0;
			const c = y > 0 && i >= channels ? (pixels[(y - 1) * stride + i - channels] ?? 0) : 0;
			const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter ?? 0] ?? 0;
			pixels[y * stride + i] = (x + predictor) & 0xff;
		}
	}
	return {
		width,
		height,
		gray(x, y) {
			const at = y * stride + x * channels;
			if (channels < 3) return pixels[at] ?? 0;
			return Math.round(((pixels[at] ?? 0) + (pixels[at + 1] ?? 0) + (pixels[at + 2] ?? 0)) / 3);
		},
	};
}

/** Samples module centres: `dark[row][col]` for an n×n symbol with `quiet` modules of margin. */
export function sampleModules(bitmap: Bitmap, n: number, quiet: number): boolean[][] {
	const unit = bitmap.width / (n + quiet * 2);
	return Array.from({ length: n }, (_, row) =>
		Array.from(
			{ length: n },
			(_, col) =>
				bitmap.gray(Math.floor((quiet + col + 0.5) * unit), Math.floor((quiet + row + 0.5) * unit)) < 128,
		),
	);
}
