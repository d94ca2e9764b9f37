import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/** Marketplace methods answer 400/403/404/409 with `{code, message, data}` (research §6.1). */
export function sendWbError(
	res: Response,
	status: number,
	code: string,
	message: string,
	data: unknown = null,
): void {
	res.status(status).json({ code, message, data });
}

/** 401 and 429 come from WB's auth gateway in a problem-like body (research §6.1, spec `responses.429`). */
export function sendWbGatewayError(
	res: Response,
	status: 401 | 429,
	detail: string,
	origin: string,
	now: number,
): void {
	res.status(status).json({
		title: status === 401 ? 'unauthorized' : 'too many requests',
		detail,
		code: randomUUID(),
		requestId: randomUUID().replaceAll('-', ''),
		origin,
		status,
		statusText: status === 401 ? 'Unauthorized' : 'Too Many Requests',
		timestamp: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
	});
}

export const wbBadRequest = (res: Response, message: string) =>
	sendWbError(res, 400, 'IncorrectRequest', message);
