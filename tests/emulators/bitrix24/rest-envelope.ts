/** The REST envelopes (research §2.2): `{result,total?,next?,time}` and `{error,error_description}`. */

/** A REST error as the portal renders it. Method errors default to HTTP 400 (CORE RestException). */
export class RestError extends Error {
	constructor(
		readonly code: string,
		readonly description: string,
		readonly status = 400,
		readonly extra: Record<string, unknown> = {},
	) {
		super(`${code || '(empty code)'}: ${description}`);
		this.name = 'RestError';
	}
}

/** The system errors of research §2.2, with their real HTTP statuses and texts. */
export const restErrors = {
	noAuth: () => new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401),
	expiredToken: () => new RestError('expired_token', 'The access token provided has expired.', 401),
	invalidToken: () => new RestError('invalid_token', 'The access token provided is invalid.', 401),
	insufficientScope: () =>
		new RestError(
			'insufficient_scope',
			'The request requires higher privileges than provided by the access token',
			401,
		),
	methodNotFound: () => new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404),
	queryLimit: () => new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503),
	operationTimeLimit: () =>
		new RestError('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', 429),
	wrongAuthType: () =>
		new RestError(
			'WRONG_AUTH_TYPE',
			'Current authorization type is denied for this method Application context required',
			403,
		),
	internal: () => new RestError('INTERNAL_SERVER_ERROR', 'Internal server error', 500),
	/** The old CRM methods' style: an empty code with the text in the description. */
	crm: (description: string) => new RestError('', description, 400),
	argument: (argument: string) =>
		new RestError('ERROR_ARGUMENT', `Argument '${argument}' is null or empty`, 400, { argument }),
} as const;

/** The `time` block every response carries (DOCS data-types.md#time). */
export interface RestTime {
	start: number;
	finish: number;
	duration: number;
	processing: number;
	date_start: string;
	date_finish: string;
	operating_reset_at: number;
	operating: number;
}

/** What a method handler returns; `total`/`next` are lifted to the top level like CORE rest.php does. */
export interface MethodResult {
	result: unknown;
	total?: number;
	next?: number;
}

/** ISO-8601 with the portal's offset, as `date_start` and CRM dates are rendered: `2025-09-09T16:31:11+03:00`. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
	const shifted = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const hh = String(Math.floor(abs / 60)).padStart(2, '0');
	const mm = String(abs % 60).padStart(2, '0');
	return `${shifted}${sign}${hh}:${mm}`;
}

export function buildTime(input: {
	startMs: number;
	finishMs: number;
	processingSeconds: number;
	operating: number;
	operatingResetAt: number;
	offsetMinutes: number;
}): RestTime {
	const round = (n: number) => Math.round(n * 1e6) / 1e6;
	const duration = round((input.finishMs - input.startMs) / 1000 + input.processingSeconds);
	return {
		start: round(input.startMs / 1000),
		finish: round(input.finishMs / 1000 + input.processingSeconds),
		duration,
		processing: round(input.processingSeconds),
		date_start: isoWithOffset(input.startMs, input.offsetMinutes),
		date_finish: isoWithOffset(input.finishMs + input.processingSeconds * 1000, input.offsetMinutes),
		operating_reset_at: input.operatingResetAt,
		operating: round(input.operating),
	};
}

export function successBody(outcome: MethodResult, time: RestTime): Record<string, unknown> {
	const body: Record<string, unknown> = { result: outcome.result };
	if (outcome.total !== undefined) body.total = outcome.total;
	if (outcome.next !== undefined) body.next = outcome.next;
	body.time = time;
	return body;
}

export function errorBody(error: RestError): Record<string, unknown> {
	return { error: error.code, error_description: error.description, ...error.extra };
}
