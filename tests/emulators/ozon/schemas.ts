import { z } from 'zod';
import { ozonFbsStatuses } from './statuses.ts';

const datetime = z.iso.datetime({ offset: true });
const listFilterStatus = z.enum(
	ozonFbsStatuses.filter((s) => !s.startsWith('cancelled_from') && s !== 'ship_in_process'),
);

export const withSchema = z
	.object({
		analytics_data: z.boolean(),
		barcodes: z.boolean(),
		financial_data: z.boolean(),
		legal_info: z.boolean(),
		translit: z.boolean(),
		product_exemplars: z.boolean(),
		related_postings: z.boolean(),
	})
	.partial()
	.default({});

const listFilter = z.looseObject({
	since: datetime,
	to: datetime,
	status: listFilterStatus.optional(),
	warehouse_id: z.array(z.number()).optional(),
	delivery_method_id: z.array(z.number()).optional(),
});

const dir = z
	.enum(['ASC', 'DESC', 'asc', 'desc'])
	.default('ASC')
	.transform((d) => d.toUpperCase() as 'ASC' | 'DESC');

/** POST /v3/posting/fbs/list (research §5.2). */
export const fbsListV3Request = z.object({
	dir,
	filter: listFilter,
	limit: z.number().int().min(1).max(1000),
	offset: z.number().int().min(0).default(0),
	with: withSchema,
});

/** POST /v4/posting/fbs/list: cursor paging (research §5.3 — shape not yet confirmed by Ozon docs). */
export const fbsListV4Request = z.object({
	sort_dir: dir,
	filter: listFilter,
	limit: z.number().int().min(1).max(1000),
	cursor: z.string().default(''),
	with: withSchema,
});

const unfulfilledFilter = z
	.looseObject({
		cutoff_from: datetime.optional(),
		cutoff_to: datetime.optional(),
		delivering_date_from: datetime.optional(),
		delivering_date_to: datetime.optional(),
		status: listFilterStatus.optional(),
	})
	.refine(
		(f) => Boolean(f.cutoff_from && f.cutoff_to) !== Boolean(f.delivering_date_from && f.delivering_date_to),
		{
			message: 'pass either cutoff_from and cutoff_to or delivering_date_from and delivering_date_to',
		},
	);

/** POST /v3/posting/fbs/unfulfilled/list (research §5.2). */
export const unfulfilledV3Request = z.object({
	dir,
	filter: unfulfilledFilter,
	limit: z.number().int().min(1).max(1000),
	offset: z.number().int().min(0).default(0),
	with: withSchema,
});

export const unfulfilledV4Request = z.object({
	sort_dir: dir,
	filter: unfulfilledFilter,
	limit: z.number().int().min(1).max(1000),
	cursor: z.string().default(''),
	with: withSchema,
});

/** POST /v3/posting/fbs/get. */
export const fbsGetRequest = z.object({ posting_number: z.string().min(1), with: withSchema });

/** POST /v2/posting/fbo/list (research §5.4): offset ≤ 20 000, `translit` at the top level. */
export const fboListRequest = z.object({
	dir,
	filter: z.looseObject({ since: datetime, to: datetime, status: z.string().optional() }),
	limit: z.number().int().min(1).max(1000),
	offset: z.number().int().min(0).max(20_000).default(0),
	translit: z.boolean().default(false),
	with: withSchema,
});
