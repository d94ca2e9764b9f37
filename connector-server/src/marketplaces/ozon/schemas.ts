import { z } from 'zod';

/**
 * Ozon's posting as the FBS lists return it (research §5.2): only what Nitka reads. Other fields are
 * left out of the parsed value (the raw page is what is stored); copying a posting's dozens of
 * other fields through was most of parsing a thousand-posting page.
 */
export const OzonFbsPostingSchema = z.object({
	posting_number: z.string().min(1),
	order_number: z.string().optional(),
	status: z.string(),
	in_process_at: z.string().nullish(),
	created_at: z.string().nullish(),
	products: z
		.array(
			z.object({
				sku: z.number().or(z.string()).optional(),
				offer_id: z.string().optional(),
				name: z.string().optional(),
				quantity: z.number(),
				price: z.string().or(z.number()).optional(),
				currency_code: z.string().optional(),
			}),
		)
		.default([]),
	customer: z.object({ customer_id: z.number().or(z.string()), name: z.string().optional() }).nullish(),
	legal_info: z
		.object({
			company_name: z.string().optional(),
			inn: z.string().optional(),
			kpp: z.string().optional(),
		})
		.nullish(),
});
export type OzonFbsPosting = z.infer<typeof OzonFbsPostingSchema>;

/** FBO postings carry no buyer at all (research §5.4). */
export const OzonFboPostingSchema = z.object({
	posting_number: z.string().min(1),
	order_number: z.string().optional(),
	status: z.string(),
	created_at: z.string().nullish(),
	in_process_at: z.string().nullish(),
	products: OzonFbsPostingSchema.shape.products,
	legal_info: OzonFbsPostingSchema.shape.legal_info,
});

/** /v4/posting/fbs/list: cursor paging; the answer may or may not sit in `result` (research §5.3). */
const v4Body = z.object({
	postings: z.array(z.unknown()),
	has_next: z.boolean(),
	cursor: z.string().default(''),
});
export const FbsListV4Schema = z
	.union([z.object({ result: v4Body }), v4Body])
	.transform((r) => ('result' in r ? r.result : r));

export const FbsListV3Schema = z.object({
	result: z.object({ postings: z.array(z.unknown()), has_next: z.boolean() }),
});

export const FboListSchema = z.object({ result: z.array(z.unknown()) });

/** A stored page: raw postings (each parsed on its own, so one odd posting never hides the others). */
export const OzonPageSchema = z.object({
	kind: z.literal('ozon-page'),
	scheme: z.enum(['fbs', 'fbo']),
	fetchedAt: z.number(),
	postings: z.array(z.unknown()),
});

/** Push notifications (research §5.5). */
export const OzonPushSchema = z.looseObject({
	message_type: z.string().min(1),
	posting_number: z.string().optional(),
	new_state: z.string().optional(),
	changed_state_date: z.string().optional(),
	in_process_at: z.string().optional(),
});

export const OzonStoredPushSchema = z.object({ kind: z.literal('ozon-push'), message: OzonPushSchema });
