import { z } from 'zod';

/** RFC 9457 problem details, the one error shape of every HTTP route. */
export const ProblemSchema = z.object({
	type: z.string(),
	title: z.string(),
	status: z.number().int(),
	detail: z.string().optional(),
	instance: z.string().optional(),
	/** Machine-readable code, e.g. `validation_failed`, `not_found`. */
	code: z.string(),
	/** For validation errors: which field was wrong and why. */
	errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
	requestId: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
