import { ProblemSchema } from '@nitka/shared';
import { z } from 'zod';
import type { RouteDefinition } from './route.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
	return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<
		string,
		unknown
	>;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
	if (!schema) return [];
	const object = jsonSchema(schema, 'input') as {
		properties?: Record<string, Record<string, unknown>>;
		required?: string[];
	};
	return Object.entries(object.properties ?? {}).map(([name, property]) => ({
		name,
		in: where,
		required: where === 'path' || (object.required ?? []).includes(name),
		schema: property,
		...(typeof property.description === 'string' ? { description: property.description } : {}),
	}));
}

/**
 * The OpenAPI 3.0 document, generated from the same route table and zod schemas that validate
 * requests, so it cannot drift from what the server does.
 */
export function buildOpenApi(
	routes: readonly RouteDefinition[],
	info: { version: string; serverUrl?: string | undefined },
) {
	const paths: Record<string, Record<string, unknown>> = {};
	const problem = { 'application/problem+json': { schema: jsonSchema(ProblemSchema, 'output') } };
	for (const route of routes) {
		const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
		const responses: Record<string, unknown> = {};
		for (const [status, response] of Object.entries(route.responses)) {
			responses[status] = {
				description: response.description,
				...(response.schema
					? {
							content: {
								[response.contentType ?? 'application/json']: {
									schema: jsonSchema(response.schema, 'output'),
								},
							},
						}
					: {}),
			};
		}
		responses.default = { description: 'Problem details (RFC 9457)', content: problem };
		const operation: Record<string, unknown> = {
			summary: route.summary,
			tags: route.tags,
			operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
			parameters: [
				...parameters(route.params, 'path'),
				...parameters(route.query, 'query'),
				...parameters(route.headers, 'header'),
			],
			responses,
			...(route.auth === 'apiKey' ? { security: [{ apiKey: [] }] } : {}),
			...(route.auth === 'counterDevice' ? { security: [{ counterDevice: [] }] } : {}),
		};
		if (route.body) {
			operation.requestBody = {
				required: true,
				content: {
					[route.bodyContentType ?? 'application/json']: { schema: jsonSchema(route.body, 'input') },
				},
			};
		}
		paths[path] = { ...(paths[path] ?? {}), [route.method]: operation };
	}
	return {
		openapi: '3.0.3',
		info: {
			title: 'Nitka connector API',
			version: info.version,
			description: 'Webhook intakes, the unified customer timeline, identity operations and delivery health.',
		},
		...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
		components: {
			securitySchemes: {
				apiKey: {
					type: 'http',
					scheme: 'bearer',
					description: 'A tenant or agency API key: `nk_<id>_<secret>`',
				},
				counterDevice: {
					type: 'http',
					scheme: 'bearer',
					description: 'A counter device key: `nkc_<id>_<secret>` (its tenant and location)',
				},
			},
		},
		paths,
	};
}
