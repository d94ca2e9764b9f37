import type { Request, RequestHandler } from 'express';

// Hop-by-hop or rewritten by fetch (which already decoded the body).
const droppedResponseHeaders = new Set([
	'connection',
	'keep-alive',
	'transfer-encoding',
	'content-encoding',
	'content-length',
]);
const forwardedRequestHeaders = ['content-type', 'accept', 'authorization', 'origin'];

/**
 * Forwards `/rest/*` and `/oauth/*` to a REST emulator on another port. B24Frame sends REST to
 * the origin named in the iframe (the portal page's own origin), so a portal page that does not
 * live inside the REST emulator must pass those calls on.
 */
export function restProxy(upstream: string): RequestHandler {
	return async (req, res) => {
		const headers = new Headers();
		for (const name of forwardedRequestHeaders) {
			const value = req.get(name);
			if (value) headers.set(name, value);
		}
		const withBody = req.method !== 'GET' && req.method !== 'HEAD';
		const response = await fetch(new URL(req.originalUrl, upstream), {
			method: req.method,
			headers,
			...(withBody ? { body: rawBodyOf(req) } : {}),
		});
		res.status(response.status);
		response.headers.forEach((value, name) => {
			if (!droppedResponseHeaders.has(name)) res.setHeader(name, value);
		});
		res.send(Buffer.from(await response.arrayBuffer()));
	};
}

/** The body exactly as sent: the kit keeps it as `rawBody`; otherwise re-encode what was parsed. */
function rawBodyOf(req: Request): string {
	const raw = (req as Request & { rawBody?: string }).rawBody;
	if (raw !== undefined) return raw;
	if (req.body === undefined) return '';
	return typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
}
