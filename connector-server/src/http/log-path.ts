/** What of a request a log line may name. */
export interface LoggableRequest {
	route?: unknown;
	baseUrl?: string;
	originalUrl?: string;
	url?: string;
}

// Push URLs carry their secret as the last segment: /hooks/marketplaces/:marketplace/:connectionId/:secret[/...].
const MARKETPLACE_PUSH = /^(\/hooks\/marketplaces\/[^/]+\/[^/]+\/)[^/]+/;

/**
 * The path to log for a request: the matched route's pattern (never a raw path, which may carry
 * a secret), or, where no route matched, the raw path with a push secret cut out.
 */
export function loggedPath(req: LoggableRequest): string {
	const pattern = (req.route as { path?: unknown } | undefined)?.path;
	if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
	const raw = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
	return raw.replace(MARKETPLACE_PUSH, '$1[redacted]');
}
