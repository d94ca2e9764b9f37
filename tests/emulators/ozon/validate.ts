import type { Request, Response } from 'express';
import type { z } from 'zod';
import { sendInvalidArgument } from './errors.ts';

/** Parses the body with `schema`; on failure answers Ozon's 400 INVALID_ARGUMENT and returns undefined. */
export function parseOzonBody<T extends z.ZodType>(
	schema: T,
	req: Request,
	res: Response,
): z.infer<T> | undefined {
	const parsed = schema.safeParse(req.body ?? {});
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
	sendInvalidArgument(res, `${where}${issue?.message ?? 'invalid request'}`);
	return undefined;
}
