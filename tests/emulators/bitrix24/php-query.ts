/**
 * PHP's `parse_str` and `http_build_query`. Bitrix24 is PHP: form bodies, query strings, batch `cmd`
 * rows and outbound event bodies all use these rules (`a[b][]=1`, lists are 0..n-1 keyed arrays).
 */

export type PhpRecord = Record<string, unknown>;

function decode(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

function splitKey(key: string): string[] | undefined {
	const open = key.indexOf('[');
	if (open === 0) return undefined;
	if (open < 0 || !key.includes(']', open)) return [key];
	const parts = [key.slice(0, open)];
	let rest = key.slice(open);
	for (let match = /^\[([^\]]*)\]/.exec(rest); match; match = /^\[([^\]]*)\]/.exec(rest)) {
		parts.push(match[1] ?? '');
		rest = rest.slice(match[0].length);
	}
	return parts;
}

function isRecord(value: unknown): value is PhpRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nextIndex(target: PhpRecord): string {
	let max = -1;
	for (const key of Object.keys(target)) if (/^\d+$/.test(key)) max = Math.max(max, Number(key));
	return String(max + 1);
}

function assign(root: PhpRecord, path: string[], value: string): void {
	let target = root;
	for (let i = 0; i < path.length; i++) {
		const segment = path[i] ?? '';
		const key = segment === '' ? nextIndex(target) : segment;
		if (i === path.length - 1) {
			target[key] = value;
			return;
		}
		const child = target[key];
		if (isRecord(child)) target = child;
		else {
			const fresh: PhpRecord = {};
			target[key] = fresh;
			target = fresh;
		}
	}
}

/** PHP arrays keyed exactly 0..n-1 are lists when JSON-encoded. */
function listify(value: unknown): unknown {
	if (!isRecord(value)) return value;
	const keys = Object.keys(value);
	const mapped: PhpRecord = {};
	for (const key of keys) mapped[key] = listify(value[key]);
	const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
	return isList ? keys.map((key) => mapped[key]) : mapped;
}

/** `parse_str`: `fields[PHONE][0][VALUE]=1&cmd[a]=x` → nested records and lists. */
export function parsePhpQuery(query: string): PhpRecord {
	const root: PhpRecord = {};
	for (const pair of query.replace(/^\?/, '').split('&')) {
		if (!pair) continue;
		const eq = pair.indexOf('=');
		const path = splitKey(decode(eq < 0 ? pair : pair.slice(0, eq)));
		if (path) assign(root, path, eq < 0 ? '' : decode(pair.slice(eq + 1)));
	}
	const result = listify(root);
	return isRecord(result) ? result : {};
}

function encode(text: string): string {
	// PHP urlencode: spaces as '+', and it also escapes what encodeURIComponent leaves alone.
	return encodeURIComponent(text)
		.replace(/%20/g, '+')
		.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function flatten(prefix: string, value: unknown, out: Array<[string, string]>): void {
	if (value === null || value === undefined) return;
	if (Array.isArray(value)) {
		value.forEach((item, index) => {
			flatten(`${prefix}[${index}]`, item, out);
		});
		return;
	}
	if (isRecord(value)) {
		for (const [key, item] of Object.entries(value)) flatten(`${prefix}[${key}]`, item, out);
		return;
	}
	if (typeof value === 'boolean') out.push([prefix, value ? '1' : '0']);
	else out.push([prefix, String(value)]);
}

/** Ordered `[key, value]` pairs as `http_build_query` would emit them. */
export function phpQueryPairs(data: PhpRecord): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	for (const [key, value] of Object.entries(data)) {
		if (isRecord(value) || Array.isArray(value)) flatten(key, value, out);
		else flatten(key, value, out);
	}
	return out;
}

/** `http_build_query`: nested data → `a%5Bb%5D=1&…`. */
export function buildPhpQuery(data: PhpRecord): string {
	return phpQueryPairs(data)
		.map(([key, value]) => `${encode(key)}=${encode(value)}`)
		.join('&');
}
