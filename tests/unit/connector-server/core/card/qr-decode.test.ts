import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeQrSvg } from '../../../../support/qr-decode.ts';

// The tests' QR reader (tests/support/qr-decode.ts: qrcode's SVG → modules → jsQR) on qrcode's output.
describe('the test QR reader', () => {
	const texts = [
		'hello',
		'HELLO WORLD 12345',
		'1234567890123',
		`nq1.${Buffer.from(JSON.stringify({ t: '01JTENANT0000000000000000A', c: '01JCUSTOMER000000000000000', k: 'card', j: 'abcdefghijklmnopqrstuv', e: 1_790_000_120 })).toString('base64url')}.${'s'.repeat(43)}`,
		'Моя карта · https://shop.example/card/nc1.x.y',
	];
	it.each(texts)('reads %s back at every error correction level', async (text) => {
		for (const level of ['L', 'M', 'Q', 'H'] as const) {
			const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: level, margin: 4 });
			expect(decodeQrSvg(svg)).toBe(text);
		}
	});
});
