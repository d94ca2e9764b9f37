import type { z } from 'zod';

/** The connector answered with an error (its RFC 9457 problem), passed on to the demo page as is. */
export class ConnectorApiError extends Error {
	override readonly name = 'ConnectorApiError';
	constructor(
		readonly status: number,
		readonly problem: unknown,
	) {
		super(`connector answered ${status}`);
	}
}

/** A tenant's view of the connector's HTTP API, as a host (Bitrix24 app, WordPress plugin) uses it. */
export interface ConnectorApi {
	readonly url: string;
	call<T extends z.ZodType>(
		method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
		path: string,
		schema: T,
		body?: unknown,
	): Promise<z.infer<T>>;
}

export function createConnectorApi(url: string, tenantId: string, key: string): ConnectorApi {
	return {
		url,
		async call(method, path, schema, body) {
			const response = await fetch(`${url}/api/v1/tenants/${tenantId}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${key}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
			const text = await response.text();
			const parsed: unknown = text ? JSON.parse(text) : null;
			if (!response.ok) throw new ConnectorApiError(response.status, parsed);
			return schema.parse(parsed);
		},
	};
}
