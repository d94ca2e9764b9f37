import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ConnectorApiError } from './connector-api.ts';

/**
 * The counter API as one paired tablet uses it (`Authorization: Bearer nkc_…`): tenant and location
 * come from the key. Every POST gets its own Idempotency-Key, as the screen makes one per
 * confirmed action.
 */
export interface CounterClient {
	call<T extends z.ZodType>(
		method: 'GET' | 'POST',
		path: string,
		schema: T,
		body?: unknown,
	): Promise<z.infer<T>>;
}

export function createCounterClient(connectorUrl: string, deviceKey: string): CounterClient {
	return {
		async call(method, path, schema, body) {
			const response = await fetch(`${connectorUrl}/api/v1/counter${path}`, {
				method,
				headers: {
					authorization: `Bearer ${deviceKey}`,
					...(method === 'POST'
						? { 'content-type': 'application/json', 'idempotency-key': `demo-${randomUUID()}` }
						: {}),
				},
				...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
			});
			const text = await response.text();
			const parsed: unknown = text ? JSON.parse(text) : null;
			if (!response.ok) throw new ConnectorApiError(response.status, parsed);
			return schema.parse(parsed);
		},
	};
}
