import { z } from 'zod';

const ErrorSchema = z.looseObject({ code: z.string().optional(), message: z.string().optional() });

/** A MAX API error answer: HTTP status plus the documented `{code, message}`. */
export class MaxApiError extends Error {
	override readonly name = 'MaxApiError';
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(`MAX ${status} ${code}: ${message}`);
	}
}

export interface MaxApi {
	call<T>(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		path: string,
		query: Record<string, string | number | undefined>,
		body: unknown,
		schema: z.ZodType<T>,
		signal?: AbortSignal,
	): Promise<T>;
}

/**
 * The MAX bot API over plain fetch (the official SDK needs Node ≥ 20.19 and is not a dependency):
 * token in the `Authorization` header without `Bearer`, JSON in and out.
 */
export function createMaxApi(baseUrl: string, token: string, timeoutMs = 35_000): MaxApi {
	return {
		async call(method, path, query, body, schema, signal) {
			const url = new URL(`${baseUrl}${path}`);
			for (const [key, value] of Object.entries(query))
				if (value !== undefined) url.searchParams.set(key, String(value));
			const timeout = AbortSignal.timeout(timeoutMs);
			const response = await fetch(url, {
				method,
				headers: {
					authorization: token,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
				signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
			});
			const json: unknown = await response.json().catch(() => ({}));
			if (!response.ok) {
				const error = ErrorSchema.safeParse(json);
				throw new MaxApiError(
					response.status,
					error.success ? (error.data.code ?? 'unknown') : 'unknown',
					error.success ? (error.data.message ?? response.statusText) : response.statusText,
				);
			}
			return schema.parse(json);
		},
	};
}
