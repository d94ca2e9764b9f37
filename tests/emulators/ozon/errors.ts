import type { Response } from 'express';

/**
 * Ozon answers errors with `rpcStatus` `{code, message, details}` (research §5.1); `code` is the gRPC status
 * number behind the HTTP status.
 */
export const ozonErrors = {
	missingHeaders: { http: 401, code: 16, message: 'Client-Id and Api-Key headers are required' },
	invalidKey: { http: 403, code: 7, message: 'Invalid Api-Key, please check the key and try again' },
	deactivatedKey: {
		http: 403,
		code: 7,
		message: 'Api-key is deactivated, use another one or generate a new one',
	},
	rateLimit: { http: 429, code: 8, message: 'You have reached request rate limit per second' },
	internal: { http: 500, code: 13, message: 'Internal error' },
	notFound: { http: 404, code: 5, message: 'Not found' },
} as const;

export interface OzonErrorBody {
	code: number;
	message: string;
	details: { typeUrl?: string; value?: string }[];
}

export function sendOzonError(res: Response, http: number, code: number, message: string): void {
	const body: OzonErrorBody = { code, message, details: [] };
	res.status(http).json(body);
}

export function sendKnownOzonError(res: Response, error: (typeof ozonErrors)[keyof typeof ozonErrors]): void {
	sendOzonError(res, error.http, error.code, error.message);
}

/** A request body Ozon rejects: HTTP 400, gRPC INVALID_ARGUMENT. */
export function sendInvalidArgument(res: Response, message: string): void {
	sendOzonError(res, 400, 3, message);
}
