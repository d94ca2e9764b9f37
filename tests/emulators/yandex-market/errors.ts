import type { Response } from 'express';

/** `ApiErrorResponse`: `{status: "ERROR", errors: [{code, message}]}` for 400/401/403/404/420/500 (research §7.1). */
export function sendYmError(res: Response, status: number, code: string, message: string): void {
	res.status(status).json({ status: 'ERROR', errors: [{ code, message }] });
}

export const ymBadRequest = (res: Response, message: string) => sendYmError(res, 400, 'BAD_REQUEST', message);
