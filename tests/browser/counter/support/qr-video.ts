import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';

/**
 * A Y4M video of a QR code on white, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`): the counter screen's camera scan reads it as a tablet's
 * camera would read the customer's phone.
 */
export async function writeQrVideo(file: string, text: string, width = 640, height = 480): Promise<void> {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const size = modules.size;
	const scale = Math.floor((Math.min(width, height) * 0.9) / (size + 8));
	const side = scale * size;
	const left = Math.floor((width - side) / 2);
	const top = Math.floor((height - side) / 2);
	const luma = Buffer.alloc(width * height, 235);
	for (let row = 0; row < size; row += 1) {
		for (let col = 0; col < size; col += 1) {
			if (!modules.get(row, col)) continue;
			for (let y = 0; y < scale; y += 1) {
				const offset = (top + row * scale + y) * width + left + col * scale;
				luma.fill(16, offset, offset + scale);
			}
		}
	}
	const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
	await writeFile(file, Buffer.concat([header, ...Array.from({ length: 5 }, () => frame)]));
}
