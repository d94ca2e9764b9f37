import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { fromZodIssues } from '../core/errors.ts';
import type { Principal } from '../core/tenants/api-keys.ts';
import { authorizeRole, type RouteRole } from './auth.ts';

/** `counterDevice`: a counter device key (`nkc_…`), see `counter-auth.ts`. */
export type AuthKind = 'none' | 'apiKey' | 'webhook' | 'counterDevice';

/** What a handler receives: input already parsed by its schemas. */
export interface RouteInput<P, Q, B> {
	params: P;
	query: Q;
	body: B;
	principal: Principal | undefined;
	req: Request;
	res: Response;
}

export interface RouteDefinition<
	P extends z.ZodType = z.ZodType,
	Q extends z.ZodType = z.ZodType,
	B extends z.ZodType = z.ZodType,
> {
	method: 'get' | 'post' | 'put' | 'patch' | 'delete';
	/** Express-style path: `/api/v1/tenants/:tenantId/customers`. */
	path: string;
	summary: string;
	tags: string[];
	auth: AuthKind;
	params?: P;
	query?: Q;
	/** Request headers the route reads, for OpenAPI only (the handler reads them itself). */
	headers?: z.ZodType;
	body?: B;
	/** Body content type for OpenAPI when it is not JSON (webhooks keep their raw text). */
	bodyContentType?: string;
	/** Response schemas by status; the first 2xx is what the handler returns. */
	responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
	handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>;
	/** Extra middleware before validation (e.g. a raw body parser, a rate limiter). */
	before?: RequestHandler[];
	/** `admin`: API keys and administrator sessions only (others get 403); see `authorizeRole`. */
	role?: RouteRole;
}

/** Keeps the handler's types tied to its schemas. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
	route: RouteDefinition<P, Q, B>,
): RouteDefinition {
	return route as unknown as RouteDefinition;
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string): unknown {
	if (!schema) return value;
	const result = schema.safeParse(value);
	if (!result.success) {
		throw fromZodIssues(
			`invalid ${part}`,
			result.error.issues.map((issue) => ({ ...issue, path: [part, ...issue.path] })),
		);
	}
	return result.data;
}

/** Express handler for a route: validates params, query and body, runs it, answers JSON. */
export function toExpressHandler(route: RouteDefinition): RequestHandler {
	return async (req: Request, res: Response, next: NextFunction) => {
		try {
			authorizeRole(res.locals.principal as Principal | undefined, route.role);
			const params = parsePart(route.params, req.params, 'params');
			const query = parsePart(route.query, req.query, 'query');
			const body = parsePart(route.body, req.body, 'body');
			const result = await route.handler({
				params,
				query,
				body,
				principal: res.locals.principal as Principal | undefined,
				req,
				res,
			});
			if (res.headersSent) return;
			const status = Number(Object.keys(route.responses).find((code) => code.startsWith('2')) ?? 200);
			if (result === undefined) res.status(status === 200 ? 204 : status).end();
			else res.status(status).json(result);
		} catch (error) {
			next(error);
		}
	};
}
