import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
	QUIET_ZONE,
	qrModules,
	renderQrPng,
} from '../../../../../connector-server/src/marketplaces/insert/qr.ts';
import { readPng, sampleModules } from './png-reader.ts';

// No QR decoder is installed: the PNG is proved by reading its pixels back into modules and comparing
// them with qrcode's own matrix for the exact link at error correction M.
const LINK = 'https://t.me/nitka_shop_bot?start=AbCdEfGhIjKlMnOpQrStUvWxYz012345';

function reference(text: string): boolean[][] {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
	return Array.from({ length: modules.size }, (_, r) =>
		Array.from({ length: modules.size }, (_, c) => modules.get(r, c) === 1),
	);
}

describe('QR for parcel inserts', () => {
	it('encodes the deep link at error correction M', () => {
		const { errorCorrectionLevel } = QRCode.create(LINK, { errorCorrectionLevel: 'M' });
		expect(errorCorrectionLevel.bit).toBe(0); // M is 0b00 in the format bits
		expect(qrModules(LINK)).toEqual(reference(LINK));
	});

	it('renders a PNG whose pixels are exactly the link’s modules, with a white quiet zone', async () => {
		const scale = 6;
		const png = await renderQrPng(LINK, scale);
		const bitmap = readPng(png);
		const n = reference(LINK).length;
		expect(bitmap.width).toBe((n + QUIET_ZONE * 2) * scale);
		expect(bitmap.height).toBe(bitmap.width);
		expect(sampleModules(bitmap, n, QUIET_ZONE)).toEqual(reference(LINK));
		for (let i = 0; i < QUIET_ZONE * scale; i++) {
			expect(bitmap.gray(i, bitmap.height / 2)).toBe(255);
			expect(bitmap.gray(bitmap.width / 2, bitmap.height - 1 - i)).toBe(255);
		}
	});

	it('is specific to its text: one changed character changes the modules', async () => {
		const other = `${LINK.slice(0, -1)}6`;
		const bitmap = readPng(await renderQrPng(other, 4));
		const n = reference(other).length;
		expect(sampleModules(bitmap, n, QUIET_ZONE)).toEqual(reference(other));
		expect(sampleModules(bitmap, n, QUIET_ZONE)).not.toEqual(reference(LINK));
	});
});
