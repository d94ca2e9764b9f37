import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../common.ts';
import { MergeEvidenceSchema } from '../events/customer.ts';

/**
 * A stored payload a worker could not understand, kept with its error: a webhook, or a marketplace
 * page or push (which were never turned into orders).
 */
export const QuarantineItemSchema = z.object({
	id: IdSchema,
	/** Which inbox holds it: `webhooks` (messengers, hosts) or `marketplaces` (polled pages, pushes). */
	inbox: z.enum(['webhooks', 'marketplaces']),
	/** telegram, vk, ozon, wildberries, yandex-market… */
	source: z.string(),
	/** The connection it arrived through (null for the few webhooks that name none). */
	connectionId: IdSchema.nullable(),
	sourceKey: z.string(),
	receivedAt: TimestampSchema,
	attempts: z.number().int(),
	error: z.string().nullable(),
	payload: z.string(),
});
export type QuarantineItem = z.infer<typeof QuarantineItemSchema>;

/**
 * A quarantined item as a host UI shows it (WooCommerce admin): no payload, the error redacted
 * (`safeError`), and the name of the connection it came through.
 */
export const QuarantineSummarySchema = QuarantineItemSchema.omit({ payload: true, sourceKey: true }).extend({
	connectionName: z.string().nullable(),
});
export type QuarantineSummary = z.infer<typeof QuarantineSummarySchema>;

export const OutboxStatusSchema = z.enum(['pending', 'done', 'dead']);

/** An external side effect waiting, done, or parked as a dead letter. */
export const OutboxJobSchema = z.object({
	id: IdSchema,
	target: z.string(),
	kind: z.string(),
	status: OutboxStatusSchema,
	attempts: z.number().int(),
	lastError: z.string().nullable(),
	nextAttemptAt: TimestampSchema,
	createdAt: TimestampSchema,
	updatedAt: TimestampSchema,
});
export type OutboxJob = z.infer<typeof OutboxJobSchema>;

/** A merge the rules would not make alone: two customers with different single-valued ids. */
export const MergeReviewSchema = z.object({
	id: IdSchema,
	customerIds: z.tuple([IdSchema, IdSchema]),
	reason: z.string(),
	evidence: MergeEvidenceSchema,
	status: z.enum(['open', 'approved', 'rejected']),
	createdAt: TimestampSchema,
	decidedAt: TimestampSchema.nullable(),
});
export type MergeReview = z.infer<typeof MergeReviewSchema>;

export const MergeRecordSchema = z.object({
	id: IdSchema,
	survivorId: IdSchema,
	mergedId: IdSchema,
	rule: z.string(),
	evidence: MergeEvidenceSchema,
	createdAt: TimestampSchema,
	undoneAt: TimestampSchema.nullable(),
});
export type MergeRecord = z.infer<typeof MergeRecordSchema>;
