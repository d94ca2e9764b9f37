import { z } from 'zod';
import { EventChannelSchema } from '../channels.ts';
import { eventTypes, TimelineEventSchema } from '../events/index.ts';
import { LimitSchema, pageOf } from './pagination.ts';

const csv = <T extends z.ZodType>(item: T) =>
	z.preprocess(
		(value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
		z.array(item).max(50),
	);

/** Timeline filters: newest first, keyset paging. */
export const TimelineQuerySchema = z.object({
	cursor: z.string().max(200).optional(),
	limit: LimitSchema,
	channel: csv(EventChannelSchema).optional(),
	type: csv(z.enum(eventTypes)).optional(),
	from: z.iso.datetime({ offset: true }).optional(),
	to: z.iso.datetime({ offset: true }).optional(),
});
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

export const TimelinePageSchema = pageOf(TimelineEventSchema);
export type TimelinePage = z.infer<typeof TimelinePageSchema>;
