import { z } from 'zod';

export const LimitSchema = z.coerce.number().int().min(1).max(200).default(50);

/** Keyset pages: `next` is an opaque cursor to pass back as `cursor`, absent on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
	return z.object({ items: z.array(item), next: z.string().nullable() });
}
