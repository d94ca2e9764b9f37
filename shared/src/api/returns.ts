import { z } from 'zod';
import { CurrencySchema, IdSchema, MoneySchema, TimestampSchema } from '../common.ts';
import { OrderItemSchema } from '../events/order.ts';

/**
 * Returns (journey 3, docs/counter.md): a complaint in a chat becomes a `requested` return with a
 * ticket in the host; approval sends the customer a return QR; the counter receives the goods.
 */

export const ReturnStateSchema = z.enum(['requested', 'approved', 'received', 'rejected']);
export type ReturnState = z.infer<typeof ReturnStateSchema>;

/** How the host gets the ticket; saved per tenant by an admin. */
export const ReturnSettingsSchema = z.object({
	/** Bitrix24: a task for the responsible manager, or a deal in a returns pipeline. */
	mode: z.enum(['task', 'deal']).default('task'),
	/** The Bitrix24 user the task (or deal) is assigned to; absent: the portal's installer. */
	responsibleId: z.number().int().positive().optional(),
	/** Deal mode: the returns pipeline (CATEGORY_ID). */
	categoryId: z.number().int().nonnegative().default(0),
	/** Deal mode: the stage that means "approved" (default `C<categoryId>:PREPARATION`, or `PREPARATION`). */
	approvedStageId: z.string().min(1).max(50).optional(),
	/** Deal mode: the stage that means "rejected" (default `C<categoryId>:LOSE`, or `LOSE`). */
	rejectedStageId: z.string().min(1).max(50).optional(),
	/** Deal mode: the stage a received return moves to (default `C<categoryId>:WON`, or `WON`). */
	returnedStageId: z.string().min(1).max(50).optional(),
	/** How long the return QR works after approval. */
	qrDays: z.number().int().min(1).max(90).default(14),
});
export type ReturnSettings = z.infer<typeof ReturnSettingsSchema>;

export const ReturnDtoSchema = z.object({
	id: IdSchema,
	number: z.string(),
	customerId: IdSchema,
	orderId: z.string().nullable(),
	state: ReturnStateSchema,
	reason: z.string().nullable(),
	items: z.array(OrderItemSchema),
	total: MoneySchema.nullable(),
	currency: CurrencySchema.nullable(),
	host: z.string().nullable(),
	hostTicketId: z.string().nullable(),
	hostTicketUrl: z.string().nullable(),
	createdAt: TimestampSchema,
	approvedAt: TimestampSchema.nullable(),
	deadlineAt: TimestampSchema.nullable(),
	receivedAt: TimestampSchema.nullable(),
});
export type ReturnDto = z.infer<typeof ReturnDtoSchema>;

export type ReturnItem = z.infer<typeof OrderItemSchema>;
