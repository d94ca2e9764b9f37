import { createRequire } from 'node:module';
import QRCode from 'qrcode';

/**
 * A small QR reader for tests (no decoder is installed): reads the modules back out of the SVG
 * `qrcode` renders, then decodes them as the standard lays them out — format bits → mask, the
 * zig-zag data placement, block de-interleaving, numeric/alphanumeric/byte segments. Error
 * correction is not applied: a rendered image has no errors to correct. Tables (codeword counts,
 * blocks per level) and the format bits come from `qrcode` itself.
 */

const require = createRequire(import.meta.url);
type Level = { bit: number };
const ecLevels = require('qrcode/lib/core/error-correction-level.js') as Record<'L' | 'M' | 'Q' | 'H', Level>;
const ecc = require('qrcode/lib/core/error-correction-code.js') as {
	getBlocksCount(version: number, level: Level): number;
	getTotalCodewordsCount(version: number, level: Level): number;
};
const utils = require('qrcode/lib/core/utils.js') as { getSymbolTotalCodewords(version: number): number };
const formatInfo = require('qrcode/lib/core/format-info.js') as {
	getEncodedBits(level: Level, mask: number): number;
};

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

const MASKS: ((i: number, j: number) => boolean)[] = [
	(i, j) => (i + j) % 2 === 0,
	(i) => i % 2 === 0,
	(_i, j) => j % 3 === 0,
	(i, j) => (i + j) % 3 === 0,
	(i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
	(i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
	(i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
	(i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

/** Decodes a QR symbol's modules to its text. */
export function decodeQrModules(dark: boolean[][]): string {
	const size = dark.length;
	const version = (size - 17) / 4;
	if (!Number.isInteger(version) || version < 1 || version > 40) throw new Error(`bad QR size ${size}`);
	// Format bits along column 8 (the copy next to the top-left finder, as qrcode places them).
	let bits = 0;
	for (let i = 0; i < 15; i++) {
		const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
		if (dark[row]![8]) bits |= 1 << i;
	}
	let level: Level | undefined;
	let mask = -1;
	for (const candidate of Object.values(ecLevels).filter((l): l is Level => typeof l?.bit === 'number')) {
		for (let m = 0; m < 8; m++) {
			if (formatInfo.getEncodedBits(candidate, m) === bits) {
				level = candidate;
				mask = m;
			}
		}
	}
	if (!level) throw new Error('unreadable format information');
	// Function patterns of this version: the modules a same-version symbol reserves.
	const reference = QRCode.create('0', {
		version,
		errorCorrectionLevel: level as never,
		maskPattern: 0 as never,
	}).modules as unknown as { isReserved(row: number, col: number): boolean };
	const stream: number[] = [];
	let current = 0;
	let count = 0;
	let inc = -1;
	let row = size - 1;
	for (let col = size - 1; col > 0; col -= 2) {
		if (col === 6) col--;
		for (;;) {
			for (let c = 0; c < 2; c++) {
				if (reference.isReserved(row, col - c)) continue;
				const bit = dark[row]![col - c]! !== MASKS[mask]!(row, col - c);
				current = (current << 1) | (bit ? 1 : 0);
				count++;
				if (count === 8) {
					stream.push(current);
					current = 0;
					count = 0;
				}
			}
			row += inc;
			if (row < 0 || row >= size) {
				row -= inc;
				inc = -inc;
				break;
			}
		}
	}
	// De-interleave the data codewords of the blocks.
	const total = utils.getSymbolTotalCodewords(version);
	const dataTotal = total - ecc.getTotalCodewordsCount(version, level);
	const blocks = ecc.getBlocksCount(version, level);
	const group2 = total % blocks;
	const group1 = blocks - group2;
	const dataIn1 = Math.floor(dataTotal / blocks);
	const sizes = Array.from({ length: blocks }, (_, b) => (b < group1 ? dataIn1 : dataIn1 + 1));
	const perBlock: number[][] = sizes.map(() => []);
	let index = 0;
	for (let i = 0; i < dataIn1 + 1; i++) {
		for (let b = 0; b < blocks; b++) if (i < sizes[b]!) perBlock[b]!.push(stream[index++]!);
	}
	const data = perBlock.flat();
	return readSegments(data, version);
}

function readSegments(data: number[], version: number): string {
	let position = 0;
	const read = (n: number) => {
		let value = 0;
		for (let i = 0; i < n; i++) {
			const byte = data[position >> 3] ?? 0;
			value = (value << 1) | ((byte >> (7 - (position & 7))) & 1);
			position++;
		}
		return value;
	};
	const band = version < 10 ? 0 : version < 27 ? 1 : 2;
	const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
	const bytes: number[] = [];
	while (position + 4 <= data.length * 8) {
		const mode = read(4);
		if (mode === 0) break;
		if (mode === 4) {
			const n = read([8, 16, 16][band]!);
			for (let i = 0; i < n; i++) bytes.push(read(8));
		} else if (mode === 2) {
			let n = read([9, 11, 13][band]!);
			for (; n >= 2; n -= 2) {
				const v = read(11);
				bytes.push(ALNUM.charCodeAt(Math.floor(v / 45)), ALNUM.charCodeAt(v % 45));
			}
			if (n === 1) bytes.push(ALNUM.charCodeAt(read(6)));
		} else if (mode === 1) {
			let n = read([10, 12, 14][band]!);
			for (; n >= 3; n -= 3) bytes.push(...Buffer.from(String(read(10)).padStart(3, '0')));
			if (n === 2) bytes.push(...Buffer.from(String(read(7)).padStart(2, '0')));
			if (n === 1) bytes.push(...Buffer.from(String(read(4))));
		} else {
			throw new Error(`unsupported QR segment mode ${mode}`);
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

/** Reads the text of a QR SVG as `qrcode` renders it. */
export function decodeQrSvg(svg: string): string {
	return decodeQrModules(svgModules(svg));
}
