import QRCode from 'qrcode';

/** Modules of white around the symbol: the QR specification's minimum quiet zone. */
export const QUIET_ZONE = 4;

/** Error correction M: survives a crumpled or smudged insert (~15%) and keeps the symbol small. */
const LEVEL = 'M';

/** The QR symbol's modules for a text, without the quiet zone: `dark[row][col]`. */
export function qrModules(text: string): boolean[][] {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: LEVEL });
	return Array.from({ length: modules.size }, (_, row) =>
		Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1),
	);
}

/** A black-on-white PNG of the QR alone, `scale` pixels per module, for label printers. */
export async function renderQrPng(text: string, scale: number): Promise<Buffer> {
	return await QRCode.toBuffer(text, {
		type: 'png',
		errorCorrectionLevel: LEVEL,
		margin: QUIET_ZONE,
		scale,
		color: { dark: '#000000ff', light: '#ffffffff' },
	});
}
