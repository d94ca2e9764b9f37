import type { z } from 'zod';
import type { DemoContext } from '../demo-context.ts';

/** One thing a person can do on the demo page: its input schema (checked at the edge) and its effect. */
export interface DemoAction<S extends z.ZodType = z.ZodType> {
	input: S;
	run(ctx: DemoContext, input: z.infer<S>): Promise<unknown> | unknown;
}

export function defineAction<S extends z.ZodType>(action: DemoAction<S>): DemoAction<S> {
	return action;
}

/** The action cannot run in the current state (e.g. a deep link for a customer Nitka does not know yet). */
export class DemoConflictError extends Error {
	override readonly name = 'DemoConflictError';
}
