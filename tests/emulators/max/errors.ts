/**
 * A MAX API error: HTTP status plus the documented body `{code, message}` (the SDK's
 * `ErrorResponse`). The 401 code/message are those the SDK itself uses; other codes are UNVERIFIED
 * (docs/emulators.md lists the sources).
 */
export class MaxApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = 'MaxApiError';
	}

	toJSON(): { code: string; message: string } {
		return { code: this.code, message: this.message };
	}
}

export const invalidToken = (): MaxApiError => new MaxApiError(401, 'verify.token', 'Invalid access_token');
export const maxNotFound = (what: string): MaxApiError => new MaxApiError(404, 'not.found', what);
export const maxBadRequest = (message: string): MaxApiError => new MaxApiError(400, 'proto.payload', message);
export const maxTooManyRequests = (): MaxApiError =>
	new MaxApiError(429, 'too.many.requests', 'Too many requests');
export const maxServerError = (status: number): MaxApiError =>
	new MaxApiError(status, 'internal', status === 503 ? 'Service unavailable' : 'Internal server error');
