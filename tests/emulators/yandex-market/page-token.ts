/** Opaque page tokens: the last order id of the previous page, so pages survive new orders. */
export function encodePageToken(lastOrderId: number): string {
	return Buffer.from(JSON.stringify({ after: lastOrderId })).toString('base64url');
}

export function decodePageToken(token: string): number | undefined {
	try {
		const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
		return typeof value.after === 'number' ? value.after : undefined;
	} catch {
		return undefined;
	}
}

/** `limit` is truncated to the maximum rather than refused (`x-transform: truncateLimit`). */
export function truncatedLimit(raw: unknown, max = 50): number | undefined {
	if (raw === undefined) return max;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1) return undefined;
	return Math.min(n, max);
}
