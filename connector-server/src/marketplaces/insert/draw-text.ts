import { fontRuns, type Weight } from './fonts.ts';

export interface LineOptions {
	y: number;
	size: number;
	weight?: Weight;
	/** Smallest size to shrink to before the line is cut with an ellipsis. */
	minSize?: number;
	color?: string;
}

const FIT = 0.999;

/** One centred line in PT Sans, shrunk (then cut) to fit the page width; returns its bounds. */
export function drawLine(
	doc: PDFKit.PDFDocument,
	text: string,
	options: LineOptions,
): { x: number; y: number; width: number; height: number } {
	const weight = options.weight ?? 400;
	const margin = doc.page.margins.left;
	const room = doc.page.width - margin * 2;
	const measure = (value: string, size: number) =>
		fontRuns(value, weight).reduce(
			(sum, run) => sum + doc.font(run.font).fontSize(size).widthOfString(run.text),
			0,
		);
	let size = options.size;
	let value = text;
	const natural = measure(value, size);
	// Shrink a hair below the exact ratio: measured widths are floats, and a line scaled to exactly
	// `room` can measure a rounding error wider, which used to cut a printed link with an ellipsis.
	if (natural > room) size = Math.max(options.minSize ?? size, (size * room * FIT) / natural);
	while (value.length > 1 && measure(value, size) > room) value = `${value.slice(0, -2)}…`;
	const width = measure(value, size);
	let x = (doc.page.width - width) / 2;
	doc.fillColor(options.color ?? '#000000');
	for (const run of fontRuns(value, weight)) {
		doc.font(run.font).fontSize(size).text(run.text, x, options.y, { lineBreak: false });
		x += doc.widthOfString(run.text);
	}
	return { x: (doc.page.width - width) / 2, y: options.y, width, height: size * 1.2 };
}
