import { networkError, toApiError } from './problem.ts';
import type { SessionKeeper } from './session.ts';

export type Query = Record<string, string | number | readonly string[] | undefined>;

export interface RequestOptions {
	method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
	query?: Query;
	body?: unknown;
}

function queryString(query: Query | undefined): string {
	if (!query) return '';
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		const text = typeof value === 'object' ? value.join(',') : String(value);
		if (text !== '') params.set(key, text);
	}
	const text = params.toString();
	return text ? `?${text}` : '';
}

/** Calls the connector with the session token; a 401 renews the session once and retries. */
export function createHttp(base: string, session: SessionKeeper, fetchImpl: typeof fetch = fetch) {
	const send = async (path: string, options: RequestOptions, force: boolean): Promise<Response> => {
		const { token } = await session.get(force);
		const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		try {
			return await fetchImpl(`${base}${path}${queryString(options.query)}`, {
				method: options.method ?? 'GET',
				headers,
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
			});
		} catch (error) {
			throw networkError(error);
		}
	};

	/** JSON answer of `path`; throws ApiError on any non-2xx. */
	async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
		let response = await send(path, options, false);
		if (response.status === 401) response = await send(path, options, true);
		if (!response.ok) throw await toApiError(response);
		if (response.status === 204) return undefined as T;
		return (await response.json()) as T;
	}

	/** A binary answer (media proxy) as a Blob. */
	async function blob(path: string): Promise<Blob> {
		let response = await send(path, {}, false);
		if (response.status === 401) response = await send(path, {}, true);
		if (!response.ok) throw await toApiError(response);
		return await response.blob();
	}

	return { request, blob };
}

export type Http = ReturnType<typeof createHttp>;
