import type { Problem } from '@nitka/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { NitkaError, UnavailableError } from '../core/errors.ts';
import { loggedPath } from './log-path.ts';

const TITLES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	409: 'Conflict',
	410: 'Gone',
	413: 'Payload Too Large',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Content',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable',
};

export function sendProblem(
	res: Parameters<RequestHandler>[1],
	problem: Omit<Problem, 'type' | 'title'> & { title?: string },
) {
	const body: Problem = {
		type: `https://nitka.dev/problems/${problem.code}`,
		title: problem.title ?? TITLES[problem.status] ?? 'Error',
		...problem,
	};
	res.status(problem.status).type('application/problem+json').json(body);
}

/** Unknown routes answer problem JSON too. */
export const notFoundHandler: RequestHandler = (req, res) => {
	sendProblem(res, {
		status: 404,
		code: 'route_not_found',
		detail: `no route for ${req.method} ${req.path}`,
		requestId: String(res.locals.requestId ?? ''),
	});
};

/**
 * The one place errors become responses (RFC 9457). Domain errors keep their message and fields;
 * anything unexpected is logged with the request id and answered without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
	return (error: unknown, req, res, _next) => {
		const requestId = String(res.locals.requestId ?? '');
		if (res.headersSent) return;
		if (error instanceof NitkaError) {
			if (error instanceof UnavailableError) res.set('retry-after', String(error.retryAfterSeconds));
			sendProblem(res, {
				status: error.status,
				code: error.code,
				detail: error.message,
				errors: error.errors,
				requestId,
			});
			return;
		}
		if (error instanceof ZodError) {
			const errors = error.issues.map((issue) => ({
				path: issue.path.join('.') || '(root)',
				message: issue.message,
			}));
			sendProblem(res, {
				status: 400,
				code: 'validation_failed',
				detail: 'input does not match the schema',
				errors,
				requestId,
			});
			return;
		}
		// body-parser's errors carry `type` and `status`.
		const parserError = error as { type?: string; status?: number; message?: string };
		if (parserError.type === 'entity.too.large') {
			sendProblem(res, {
				status: 413,
				code: 'body_too_large',
				detail: 'request body exceeds the size limit',
				requestId,
			});
			return;
		}
		if (parserError.type === 'entity.parse.failed') {
			sendProblem(res, {
				status: 400,
				code: 'malformed_json',
				detail: 'request body is not valid JSON',
				requestId,
			});
			return;
		}
		if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
			sendProblem(res, {
				status: parserError.status,
				code: 'bad_request',
				detail: parserError.message ?? 'bad request',
				requestId,
			});
			return;
		}
		logger.error({ err: error, requestId, method: req.method, path: loggedPath(req) }, 'unhandled error');
		sendProblem(res, {
			status: 500,
			code: 'internal_error',
			detail: 'the server failed; the request id identifies it in the logs',
			requestId,
		});
	};
}
