import type { z } from 'zod';

/** Parses a JSON column through its schema: stored data is a boundary too. */
export function parseJsonColumn<T extends z.ZodType>(schema: T, text: string, column: string): z.infer<T> {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new Error(`stored ${column} is not JSON`, { cause: error });
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) throw new Error(`stored ${column} does not match its schema: ${parsed.error.message}`);
	return parsed.data;
}
