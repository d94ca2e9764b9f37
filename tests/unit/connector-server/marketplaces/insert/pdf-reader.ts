import { inflateSync } from 'node:zlib';

/** Raw object bodies by number; FlateDecode streams are inflated so compressed PDFs read too. */
function objects(pdf: Buffer): Map<number, string> {
	const text = pdf.toString('latin1');
	const found = new Map<number, string>();
	for (const match of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
		let body = match[2] ?? '';
		const stream = /stream\r?\n([\s\S]*?)\r?\nendstream/.exec(body);
		if (stream && /\/Filter \/FlateDecode/.test(body)) {
			const start = (match.index ?? 0) + match[0].indexOf(stream[0]) + stream[0].indexOf('\n') + 1;
			const length = Number(/\/Length (\d+)/.exec(body)?.[1]);
			const inflated = inflateSync(pdf.subarray(start, start + length)).toString('latin1');
			body = body.replace(stream[0], `stream\n${inflated}\nendstream`);
		}
		found.set(Number(match[1]), body);
	}
	return found;
}

function toUnicode(cmap: string): Map<number, string> {
	const map = new Map<number, string>();
	for (const range of cmap.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/gi)) {
		const start = Number.parseInt(range[1] ?? '0', 16);
		[...(range[2] ?? '').matchAll(/<([0-9a-f ]+)>/gi)].forEach((entry, i) => {
			const units = (entry[1] ?? '').split(' ').map((hex) => Number.parseInt(hex, 16));
			map.set(start + i, String.fromCharCode(...units));
		});
	}
	return map;
}

export interface PdfPage {
	/** Text lines in drawing order; runs at the same baseline join into one line. */
	lines: string[];
	/** URIs of link annotations. */
	links: string[];
}

/** Reads back what pdfkit drew: one entry per page in page order, text via the fonts' ToUnicode maps. */
export function readPdf(pdf: Buffer): PdfPage[] {
	const objs = objects(pdf);
	const ref = (body: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(body)?.[1]);
	const pagesRoot = [...objs.values()].find((body) => /\/Type \/Pages\b/.test(body)) ?? '';
	const kids = [...(/\/Kids \[([^\]]*)\]/.exec(pagesRoot)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) =>
		Number(m[1]),
	);
	return kids.map((id) => {
		const page = objs.get(id) ?? '';
		const resources = objs.get(ref(page, 'Resources')) ?? '';
		const fonts = new Map<string, Map<number, string>>();
		for (const entry of resources.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
			const font = objs.get(Number(entry[2])) ?? '';
			fonts.set(entry[1] ?? '', toUnicode(objs.get(ref(font, 'ToUnicode')) ?? ''));
		}
		const content = objs.get(ref(page, 'Contents')) ?? '';
		const lines: string[] = [];
		let lastY: string | undefined;
		for (const block of content.matchAll(/BT([\s\S]*?)ET/g)) {
			const body = block[1] ?? '';
			const y = /1 0 0 1 [\d.-]+ ([\d.-]+) Tm/.exec(body)?.[1];
			const cmap = fonts.get(/\/(F\d+) [\d.]+ Tf/.exec(body)?.[1] ?? '') ?? new Map<number, string>();
			const text = [...body.matchAll(/<([0-9a-f]+)>/gi)]
				.flatMap((hex) =>
					(hex[1] ?? '').match(/.{4}/g)?.map((code) => cmap.get(Number.parseInt(code, 16)) ?? '\uFFFD'),
				)
				.join('');
			if (y !== undefined && y === lastY && lines.length) lines[lines.length - 1] += text;
			else lines.push(text);
			lastY = y;
		}
		const links = (page.match(/\/Annots \[([^\]]*)\]/)?.[1] ?? '')
			.match(/\d+ 0 R/g)
			?.map((r) => objs.get(ref(objs.get(Number.parseInt(r, 10)) ?? '', 'A')) ?? '')
			.map((action) => /\/URI \(([^)]*)\)/.exec(action)?.[1] ?? '')
			.filter(Boolean);
		return { lines, links: links ?? [] };
	});
}
