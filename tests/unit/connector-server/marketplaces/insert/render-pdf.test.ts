import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InsertPage } from '../../../../../connector-server/src/marketplaces/insert/content.ts';
import { QUIET_ZONE, qrModules } from '../../../../../connector-server/src/marketplaces/insert/qr.ts';
import { A6, renderInsertsPdf } from '../../../../../connector-server/src/marketplaces/insert/render-pdf.ts';
import { readPdf } from './pdf-reader.ts';

const LINK = 'https://t.me/nitka_shop_bot?start=AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const page = (over: Partial<InsertPage> = {}): InsertPage => ({
	shopName: 'Лавка «Ёлка» Home',
	orderNumber: '0123456789-0001-1',
	source: 'ozon',
	url: LINK,
	channel: 'telegram',
	expiresAt: Date.UTC(2030, 0, 31),
	...over,
});

/** Rebuilds the QR from the page's filled rectangles (the first is the white quiet-zone square). */
function vectorQr(pdf: Buffer, n: number): boolean[][] {
	const text = pdf.toString('latin1');
	const rects = [...text.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re/g)].map((m) =>
		m.slice(1, 5).map(Number),
	);
	const [left, top, side] = rects[0] ?? [0, 0, 0];
	const unit = (side ?? 0) / (n + QUIET_ZONE * 2);
	const dark = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
	for (const [x = 0, y = 0, w = 0] of rects.slice(1)) {
		const row = Math.round((y - (top ?? 0)) / unit) - QUIET_ZONE;
		const col = Math.round((x - (left ?? 0)) / unit) - QUIET_ZONE;
		for (let c = col; c < col + Math.round(w / unit); c++) dark[row]![c] = true;
	}
	return dark;
}

describe('parcel insert PDF', () => {
	it('is an A6 page with the shop, order, marketplace, captions, link text and expiry in PT Sans', async () => {
		const pdf = await renderInsertsPdf([page()], { compress: false });
		const text = pdf.toString('latin1');
		expect(text.startsWith('%PDF-')).toBe(true);
		expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
		expect(text).toContain(`/MediaBox [0 0 ${A6[0].toFixed(6)} ${A6[1].toFixed(6)}]`);
		expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+PTSans-Regular/);
		expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+PTSans-Bold/);
		expect(text).toMatch(/\/FontFile2 \d+ 0 R/); // embedded, not referenced by name
		expect(text).not.toMatch(/Helvetica|Times|Courier/);
		const [only] = readPdf(pdf);
		expect(only?.lines).toEqual([
			'Лавка «Ёлка» Home',
			'Заказ / Order № 0123456789-0001-1',
			'Ozon',
			'Следите за заказом в Telegram / VK',
			'Track this order in Telegram / VK',
			'Не получается отсканировать? Откройте ссылку:',
			"Can't scan? Open the link:",
			LINK,
			'Ссылка действует до / Valid until 2030-01-31',
		]);
		expect(only?.links).toEqual([LINK, LINK]);
	});

	it('draws the QR of the exact link as vector modules inside a quiet zone', async () => {
		const pdf = await renderInsertsPdf([page()], { compress: false });
		const modules = qrModules(LINK);
		expect(vectorQr(pdf, modules.length)).toEqual(modules);
	});

	it('puts one insert per page in the order given, compressed by default', async () => {
		const pdf = await renderInsertsPdf([
			page({ orderNumber: 'A-1' }),
			page({
				orderNumber: 'B-2',
				source: 'yandex-market',
				channel: 'max',
				url: 'https://max.ru/shop?start=x',
			}),
			page({ orderNumber: 'C-3', source: 'wildberries' }),
		]);
		expect(pdf.toString('latin1')).toMatch(/\/Filter \/FlateDecode/);
		const pages = readPdf(pdf);
		expect(pages.map((p) => p.lines[1])).toEqual([
			'Заказ / Order № A-1',
			'Заказ / Order № B-2',
			'Заказ / Order № C-3',
		]);
		expect(pages[1]?.lines.slice(2, 5)).toEqual([
			'Яндекс Маркет',
			'Следите за заказом в MAX',
			'Track this order in MAX',
		]);
		expect(pages[2]?.lines[2]).toBe('Wildberries');
	});

	it('shrinks, then cuts, a shop name too long for the page', async () => {
		const [only] = readPdf(
			await renderInsertsPdf([page({ shopName: 'Очень '.repeat(30) })], { compress: false }),
		);
		expect(only?.lines[0]).toMatch(/^Очень Очень .*…$/);
	});

	it('prints any bot link whole: a link shrunk to fit is never cut by a rounding error', async () => {
		// Regression: a 20-letter username with wide token letters shrank to exactly the page width,
		// measured a float's breadth wider, and lost its last characters to an ellipsis.
		await fc.assert(
			fc.asyncProperty(
				fc.stringMatching(/^[a-z][a-z0-9_]{3,28}bot$/),
				fc.stringMatching(/^[A-Za-z0-9_-]{32}$/),
				async (bot, token) => {
					const url = `https://t.me/${bot}?start=${token}`;
					const [only] = readPdf(await renderInsertsPdf([page({ url })], { compress: false }));
					expect(only?.lines).toContain(url);
				},
			),
			{ numRuns: 25, examples: [['nitka_7000000001_bot', 'ENv-BfMGiF2iNu8oUG9-6k1wLNQ2GdQm']] },
		);
	}, 60_000);
});
