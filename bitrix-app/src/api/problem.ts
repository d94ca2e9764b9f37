import type { Problem } from '@nitka/shared';

/** A failed connector call: the RFC 9457 problem when the server sent one, else what we know. */
export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly problem?: Problem,
	) {
		super(message);
	}

	/** Field errors of a validation problem, as "field: message" lines. */
	get fieldErrors(): string[] {
		return (this.problem?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
	}
}

function isProblem(value: unknown): value is Problem {
	return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/** Turns a non-2xx response into an ApiError, reading problem JSON when there is one. */
export async function toApiError(response: Response): Promise<ApiError> {
	const body: unknown = await response.json().catch(() => null);
	if (isProblem(body)) {
		return new ApiError(response.status, body.code ?? 'error', body.detail ?? body.title, body);
	}
	return new ApiError(response.status, `http_${response.status}`, response.statusText || 'request failed');
}

/** A network failure (connector unreachable), in the same shape as an HTTP one. */
export function networkError(cause: unknown): ApiError {
	const error = new ApiError(0, 'network', 'the connector could not be reached');
	error.cause = cause;
	return error;
}
