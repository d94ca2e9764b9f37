/**
 * Splits a long text into platform-sized parts, preferring paragraph, then line, then word
 * boundaries, and never cutting a surrogate pair (an emoji) in half.
 */
export function splitText(text: string, limit: number): string[] {
	if (limit < 1) throw new RangeError('limit must be positive');
	const parts: string[] = [];
	let rest = text;
	while (rest.length > limit) {
		const window = rest.slice(0, limit);
		let cut = -1;
		for (const separator of ['\n\n', '\n', ' ']) {
			const at = window.lastIndexOf(separator);
			// A break in the first half would leave tiny parts; cut harder instead.
			if (at >= limit / 2) {
				cut = at + separator.length;
				break;
			}
		}
		if (cut === -1) {
			cut = limit;
			const code = rest.charCodeAt(cut - 1);
			if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
		}
		const part = rest.slice(0, cut).trimEnd();
		if (part) parts.push(part);
		rest = rest.slice(cut).trimStart();
	}
	if (rest) parts.push(rest);
	return parts;
}
