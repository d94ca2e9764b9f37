import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type Weight = 400 | 700;

/** One fontsource subset file: a font name to register and the code points it covers. */
export interface FontSubset {
	name: string;
	weight: Weight;
	data: Buffer;
	covers(codePoint: number): boolean;
}

// Fontsource splits PT Sans by script: the Cyrillic file has no Latin letters or digits, so a line
// like "Заказ 12345" needs two files. Earlier subsets win where ranges overlap.
const SUBSETS = ['latin', 'cyrillic', 'latin-ext', 'cyrillic-ext'] as const;
const require = createRequire(import.meta.url);

function parseRanges(spec: string): Array<[number, number]> {
	return spec.split(',').map((part) => {
		const [from, to] = part.trim().replace(/^U\+/, '').split('-');
		const start = Number.parseInt(from ?? '', 16);
		return [start, to ? Number.parseInt(to, 16) : start];
	});
}

function load(): FontSubset[] {
	const unicode = require('@fontsource/pt-sans/unicode.json') as Record<string, string>;
	return ([400, 700] as const).flatMap((weight) =>
		SUBSETS.map((subset) => {
			const ranges = parseRanges(unicode[subset] ?? '');
			return {
				name: `pt-sans-${subset}-${weight}`,
				weight,
				data: readFileSync(
					require.resolve(`@fontsource/pt-sans/files/pt-sans-${subset}-${weight}-normal.woff`),
				),
				covers: (cp: number) => ranges.some(([start, end]) => cp >= start && cp <= end),
			};
		}),
	);
}

let cached: FontSubset[] | undefined;

/** PT Sans, embedded from the package (never a system font); read once per process. */
export function ptSans(): FontSubset[] {
	cached ??= load();
	return cached;
}

/** Splits text into runs that one subset file can draw; characters no subset has become "?". */
export function fontRuns(text: string, weight: Weight): Array<{ font: string; text: string }> {
	const fonts = ptSans().filter((font) => font.weight === weight);
	const fallback = fonts[0]!;
	const runs: Array<{ font: string; text: string }> = [];
	for (const char of text) {
		const cp = char.codePointAt(0) ?? 0x3f;
		const font = fonts.find((candidate) => candidate.covers(cp));
		const name = (font ?? fallback).name;
		const drawn = font ? char : '?';
		const last = runs.at(-1);
		if (last && last.font === name) last.text += drawn;
		else runs.push({ font: name, text: drawn });
	}
	return runs;
}
