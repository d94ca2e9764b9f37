import { badRequest, type TelegramApiError } from './errors.ts';
import type { TgMessageEntity } from './types.ts';

/** Text after Telegram's entity parsing: what the user sees, and the formatting spans (UTF-16 offsets). */
export interface ParsedText {
	text: string;
	entities: TgMessageEntity[];
}

const entityError = (what: string): TelegramApiError => badRequest(`can't parse entities: ${what}`);

const byteOffset = (source: string, index: number): number => Buffer.byteLength(source.slice(0, index));

/**
 * Applies `parse_mode` the way the Bot API does, then trims surrounding whitespace: the 4096-char limit
 * and the "message text is empty" check apply to the result (channels.md §1.4).
 */
export function parseFormattedText(source: string, parseMode: string | undefined): ParsedText {
	let parsed: ParsedText;
	if (parseMode === undefined || parseMode === '') parsed = { text: source, entities: [] };
	else if (parseMode === 'HTML') parsed = parseHtml(source);
	else if (parseMode === 'MarkdownV2') parsed = parseMarkdownV2(source);
	else if (parseMode === 'Markdown') parsed = parseMarkdownLegacy(source);
	else throw badRequest('unsupported parse_mode');
	return trim(parsed);
}

function trim({ text, entities }: ParsedText): ParsedText {
	const lead = text.length - text.trimStart().length;
	const trimmed = text.trim();
	const kept: TgMessageEntity[] = [];
	for (const entity of entities) {
		const start = Math.max(0, entity.offset - lead);
		const end = Math.min(trimmed.length, entity.offset + entity.length - lead);
		if (end > start) kept.push({ ...entity, offset: start, length: end - start });
	}
	return { text: trimmed, entities: kept.sort((a, b) => a.offset - b.offset || b.length - a.length) };
}

// --- HTML (https://core.telegram.org/bots/api#html-style)

const htmlTags: Record<string, string> = {
	b: 'bold',
	strong: 'bold',
	i: 'italic',
	em: 'italic',
	u: 'underline',
	ins: 'underline',
	s: 'strikethrough',
	strike: 'strikethrough',
	del: 'strikethrough',
	'tg-spoiler': 'spoiler',
	span: 'spoiler',
	a: 'text_link',
	code: 'code',
	pre: 'pre',
	blockquote: 'blockquote',
	'tg-emoji': 'custom_emoji',
};

const htmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function parseHtml(source: string): ParsedText {
	let text = '';
	const entities: TgMessageEntity[] = [];
	const open: { tag: string; entity: TgMessageEntity }[] = [];
	let i = 0;
	while (i < source.length) {
		const char = source[i]!;
		if (char === '&') {
			const match = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(source.slice(i));
			const name = match?.[1];
			if (name !== undefined) {
				const decoded = name.startsWith('#x')
					? String.fromCodePoint(Number.parseInt(name.slice(2), 16))
					: name.startsWith('#')
						? String.fromCodePoint(Number.parseInt(name.slice(1), 10))
						: htmlEntities[name];
				if (decoded !== undefined) {
					text += decoded;
					i += match![0].length;
					continue;
				}
			}
			text += char;
			i += 1;
			continue;
		}
		if (char !== '<') {
			text += char;
			i += 1;
			continue;
		}
		const close = source.indexOf('>', i);
		if (close < 0) throw entityError(`Unclosed start tag at byte offset ${byteOffset(source, i)}`);
		const inner = source.slice(i + 1, close).trim();
		if (inner.startsWith('/')) {
			const name = inner.slice(1).trim().toLowerCase();
			const top = open.pop();
			if (!top) throw entityError(`Unexpected end tag at byte offset ${byteOffset(source, i)}`);
			if (name !== '' && name !== top.tag) {
				throw entityError(
					`Can't find end tag corresponding to start tag "${top.tag}" at byte offset ${byteOffset(source, i)}`,
				);
			}
			top.entity.length = text.length - top.entity.offset;
			if (top.entity.length > 0) entities.push(top.entity);
		} else {
			const name = (/^[a-zA-Z-]+/.exec(inner)?.[0] ?? '').toLowerCase();
			const type = htmlTags[name];
			if (!type) throw entityError(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, i)}`);
			const entity: TgMessageEntity = { type, offset: text.length, length: 0 };
			const attribute = (key: string) =>
				new RegExp(`${key}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(inner);
			if (name === 'a') {
				const href = attribute('href');
				entity.url = href?.[1] ?? href?.[2] ?? href?.[3] ?? '';
			}
			if (name === 'span' && !/class\s*=\s*"?tg-spoiler/i.test(inner)) {
				throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, i)}`);
			}
			// `<pre><code class="language-x">` becomes one pre entity with a language.
			const parent = open.at(-1);
			if (name === 'code' && parent?.tag === 'pre') {
				const language = /language-([\w+-]+)/.exec(inner)?.[1];
				if (language) parent.entity.language = language;
				open.push({ tag: name, entity: { type: 'code', offset: -1, length: 0 } });
			} else open.push({ tag: name, entity });
		}
		i = close + 1;
	}
	const unclosed = open.pop();
	if (unclosed) throw entityError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
	return { text, entities: entities.filter((entity) => entity.offset >= 0) };
}

// --- MarkdownV2 (https://core.telegram.org/bots/api#markdownv2-style)

const reservedV2 = '_*[]()~`>#+-=|{}.!';

function parseMarkdownV2(source: string): ParsedText {
	let text = '';
	const entities: TgMessageEntity[] = [];
	const open: { marker: string; entity: TgMessageEntity; at: number }[] = [];
	const toggle = (marker: string, type: string, at: number) => {
		const top = open.at(-1);
		const index = open.findIndex((item) => item.marker === marker);
		if (index >= 0) {
			if (top?.marker !== marker) throw entityError(`Can't find end of ${top?.entity.type} entity`);
			open.pop();
			const entity = top.entity;
			entity.length = text.length - entity.offset;
			if (entity.length > 0) entities.push(entity);
		} else open.push({ marker, entity: { type, offset: text.length, length: 0 }, at });
	};
	let i = 0;
	while (i < source.length) {
		const char = source[i]!;
		const next = source[i + 1];
		if (char === '\\' && next !== undefined) {
			text += next;
			i += 2;
		} else if (char === '`') {
			const fence = source.startsWith('```', i);
			const marker = fence ? '```' : '`';
			const end = findUnescaped(source, marker, i + marker.length);
			if (end < 0)
				throw entityError(
					`Can't find end of ${fence ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(source, i)}`,
				);
			let body = source.slice(i + marker.length, end);
			const entity: TgMessageEntity = { type: fence ? 'pre' : 'code', offset: text.length, length: 0 };
			if (fence) {
				const newline = body.indexOf('\n');
				const language = newline >= 0 ? body.slice(0, newline) : '';
				if (newline >= 0 && /^[\w+-]+$/.test(language)) {
					entity.language = language;
					body = body.slice(newline + 1);
				}
			}
			body = body.replace(/\\([`\\])/g, '$1');
			text += body;
			entity.length = body.length;
			if (entity.length > 0) entities.push(entity);
			i = end + marker.length;
		} else if (char === '*') {
			toggle('*', 'bold', i);
			i += 1;
		} else if (char === '_' && next === '_') {
			toggle('__', 'underline', i);
			i += 2;
		} else if (char === '_') {
			toggle('_', 'italic', i);
			i += 1;
		} else if (char === '~') {
			toggle('~', 'strikethrough', i);
			i += 1;
		} else if (char === '|' && next === '|') {
			toggle('||', 'spoiler', i);
			i += 2;
		} else if (char === '[') {
			open.push({ marker: '[', entity: { type: 'text_link', offset: text.length, length: 0 }, at: i });
			i += 1;
		} else if (char === ']' && open.at(-1)?.marker === '[') {
			const link = /^\]\(((?:\\.|[^)\\])*)\)/.exec(source.slice(i));
			if (!link) throw entityError(`Can't find end of a URL at byte offset ${byteOffset(source, i)}`);
			const top = open.pop()!;
			top.entity.length = text.length - top.entity.offset;
			top.entity.url = link[1]!.replace(/\\(.)/g, '$1');
			if (top.entity.length > 0) entities.push(top.entity);
			i += link[0].length;
		} else if (char === '>' && (i === 0 || source[i - 1] === '\n')) {
			const lineEnd = source.indexOf('\n', i);
			open.push({ marker: '>', entity: { type: 'blockquote', offset: text.length, length: 0 }, at: i });
			const body = parseMarkdownV2(source.slice(i + 1, lineEnd < 0 ? source.length : lineEnd));
			for (const entity of body.entities) entities.push({ ...entity, offset: entity.offset + text.length });
			text += body.text;
			const quote = open.pop()!;
			quote.entity.length = body.text.length;
			if (quote.entity.length > 0) entities.push(quote.entity);
			i = lineEnd < 0 ? source.length : lineEnd;
		} else if (reservedV2.includes(char)) {
			throw entityError(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
		} else {
			text += char;
			i += 1;
		}
	}
	const unclosed = open.pop();
	if (unclosed) {
		throw entityError(
			`Can't find end of ${unclosed.entity.type} entity at byte offset ${byteOffset(source, unclosed.at)}`,
		);
	}
	return { text, entities };
}

function findUnescaped(source: string, marker: string, from: number): number {
	for (let i = from; i < source.length; i += 1) {
		if (source[i] === '\\') i += 1;
		else if (source.startsWith(marker, i)) return i;
	}
	return -1;
}

// --- legacy Markdown (https://core.telegram.org/bots/api#markdown-style)

function parseMarkdownLegacy(source: string): ParsedText {
	let text = '';
	const entities: TgMessageEntity[] = [];
	const markers: Record<string, string> = { '*': 'bold', _: 'italic', '`': 'code' };
	let i = 0;
	while (i < source.length) {
		const char = source[i]!;
		if (char === '\\' && '_*`['.includes(source[i + 1] ?? '')) {
			text += source[i + 1];
			i += 2;
			continue;
		}
		const fence = source.startsWith('```', i);
		const type = fence ? 'pre' : markers[char];
		if (type) {
			const marker = fence ? '```' : char;
			const end = source.indexOf(marker, i + marker.length);
			if (end < 0) {
				throw entityError(`Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`);
			}
			const body = source.slice(i + marker.length, end);
			if (body.length > 0) entities.push({ type, offset: text.length, length: body.length });
			text += body;
			i = end + marker.length;
			continue;
		}
		if (char === '[') {
			const link = /^\[([^\]]*)\]\(([^)]*)\)/.exec(source.slice(i));
			if (!link)
				throw entityError(`Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`);
			const label = link[1]!;
			if (label.length > 0)
				entities.push({ type: 'text_link', offset: text.length, length: label.length, url: link[2]! });
			text += label;
			i += link[0].length;
			continue;
		}
		text += char;
		i += 1;
	}
	return { text, entities };
}
