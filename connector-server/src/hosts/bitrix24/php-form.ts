/** A PHP-style nested form value: what `a[b][0]=x` decodes to. */
export type FormValue = string | FormRecord;
export interface FormRecord {
	[key: string]: FormValue;
}

/**
 * Decodes `application/x-www-form-urlencoded` with PHP bracket nesting, the way Bitrix24 sends
 * events (`data[FIELDS][ID]=1&auth[member_id]=…`). Arrays stay records keyed "0", "1"….
 */
export function parsePhpForm(body: string): FormRecord {
	const root: FormRecord = {};
	for (const [rawKey, value] of new URLSearchParams(body)) {
		const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
		if (!match?.[1]) continue;
		const path = [match[1], ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')];
		let node: FormRecord = root;
		for (let i = 0; i < path.length - 1; i++) {
			const segment = path[i] || String(Object.keys(node).length);
			const next = node[segment];
			if (typeof next === 'object') node = next;
			else {
				const child: FormRecord = {};
				node[segment] = child;
				node = child;
			}
		}
		const last = path.at(-1) || String(Object.keys(node).length);
		node[last] = value;
	}
	return root;
}

/** PHP `http_build_query`: how a batch command's params are written (`fields[PHONE][0][VALUE]=…`). */
export function buildPhpQuery(value: unknown, prefix = ''): string {
	const parts: string[] = [];
	const walk = (item: unknown, key: string) => {
		if (item === undefined || item === null) return;
		if (typeof item === 'object') {
			for (const [k, v] of Object.entries(item as Record<string, unknown>)) walk(v, key ? `${key}[${k}]` : k);
			return;
		}
		const text = typeof item === 'boolean' ? (item ? '1' : '0') : String(item);
		parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
	};
	walk(value, prefix);
	return parts.join('&');
}
