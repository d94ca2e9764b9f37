import PDFDocument from 'pdfkit';
import { captionsFor, type InsertPage, sourceLabel } from './content.ts';
import { drawLine } from './draw-text.ts';
import { ptSans } from './fonts.ts';
import { QUIET_ZONE, qrModules } from './qr.ts';

const MM = 72 / 25.4;
/** A6 portrait in points: the size of a parcel insert. */
export const A6 = [105 * MM, 148 * MM] as const;
const MARGIN = 6 * MM;
/** The QR with its quiet zone: 64 mm scans from arm's length with any phone. */
const QR_SIDE = 64 * MM;

export interface RenderPdfOptions {
	/** Tests turn stream compression off to read the page content. */
	compress?: boolean;
}

/** Draws the symbol as vector squares (crisp at any print resolution), one path per row run. */
function drawQr(doc: PDFKit.PDFDocument, text: string, top: number): void {
	const modules = qrModules(text);
	const unit = QR_SIDE / (modules.length + QUIET_ZONE * 2);
	const left = (doc.page.width - QR_SIDE) / 2;
	doc.rect(left, top, QR_SIDE, QR_SIDE).fill('#ffffff');
	modules.forEach((row, r) => {
		let c = 0;
		while (c < row.length) {
			if (!row[c]) {
				c++;
				continue;
			}
			const start = c;
			while (c < row.length && row[c]) c++;
			doc.rect(left + (QUIET_ZONE + start) * unit, top + (QUIET_ZONE + r) * unit, (c - start) * unit, unit);
		}
	});
	doc.fill('#000000');
}

function drawPage(doc: PDFKit.PDFDocument, page: InsertPage): void {
	const caption = captionsFor(page.channel);
	const until = new Date(page.expiresAt).toISOString().slice(0, 10);
	drawLine(doc, page.shopName, { y: MARGIN, size: 16, minSize: 10, weight: 700 });
	drawLine(doc, `Заказ / Order № ${page.orderNumber}`, { y: MARGIN + 24, size: 11, minSize: 7 });
	drawLine(doc, sourceLabel(page.source), { y: MARGIN + 39, size: 9, color: '#444444' });
	const qrTop = MARGIN + 56;
	drawQr(doc, page.url, qrTop);
	doc.link((doc.page.width - QR_SIDE) / 2, qrTop, QR_SIDE, QR_SIDE, page.url);
	const y = qrTop + QR_SIDE + 8;
	drawLine(doc, caption.ru, { y, size: 13, minSize: 9, weight: 700 });
	drawLine(doc, caption.en, { y: y + 18, size: 10, minSize: 8, color: '#444444' });
	drawLine(doc, 'Не получается отсканировать? Откройте ссылку:', { y: y + 38, size: 7.5, minSize: 6 });
	drawLine(doc, "Can't scan? Open the link:", { y: y + 48, size: 7.5, color: '#444444' });
	const link = drawLine(doc, page.url, { y: y + 60, size: 8, minSize: 5 });
	doc.link(link.x, link.y, link.width, link.height, page.url);
	drawLine(doc, `Ссылка действует до / Valid until ${until}`, { y: y + 76, size: 7, color: '#666666' });
}

/** One A6 page per insert, text in embedded PT Sans. */
export async function renderInsertsPdf(
	pages: readonly InsertPage[],
	options: RenderPdfOptions = {},
): Promise<Buffer> {
	// font: '' keeps pdfkit from selecting its default Helvetica, so no unembedded font is referenced.
	const doc = new PDFDocument({
		size: [...A6],
		margin: MARGIN,
		autoFirstPage: false,
		compress: options.compress ?? true,
		font: '',
		info: {
			Title: pages.length === 1 ? `Insert ${pages[0]?.orderNumber}` : `${pages.length} inserts`,
			Creator: 'Nitka',
		},
	});
	for (const font of ptSans()) doc.registerFont(font.name, font.data);
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});
	for (const page of pages) {
		doc.addPage();
		drawPage(doc, page);
	}
	doc.end();
	return await done;
}
