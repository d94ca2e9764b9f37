import { z } from 'zod';

/** Journey 3: a customer asked to return an order (or goods) in a chat; a ticket follows in the host. */
export const ReturnRequestedDataSchema = z.object({
	returnId: z.string().min(1).max(100),
	/** What the shop and the customer call the return (`R-…`). */
	number: z.string().min(1).max(50),
	/** Nitka's order id (`orders.id`), when the customer picked one. */
	orderId: z.string().max(200).optional(),
	orderNumber: z.string().max(200).optional(),
	/** The order's source (`woocommerce`, `ozon`…): which host keeps it. */
	orderSource: z.string().max(50).optional(),
	reason: z.string().max(2000),
	/** Where the customer asked: the answers (the return QR, the thank-you) go to the same chat. */
	chatChannel: z.string().max(50).optional(),
});

/** The shop approved it (host ticket done, or the admin API): the customer gets a return QR. */
export const ReturnApprovedDataSchema = z.object({
	returnId: z.string().min(1).max(100),
	number: z.string().min(1).max(50),
	/** The order's source, when the return has an order. */
	orderSource: z.string().max(50).optional(),
	/** Who approved: `bitrix24:task:<id>`, `bitrix24:deal:<id>`, `api`. */
	by: z.string().max(200),
	/** The return QR works until then. */
	deadlineAt: z.iso.datetime({ offset: true }),
});

/** The shop turned it down (the deal on the rejected stage, or the admin API): the customer is told. */
export const ReturnRejectedDataSchema = z.object({
	returnId: z.string().min(1).max(100),
	number: z.string().min(1).max(50),
	/** The order's source, when the return has an order. */
	orderSource: z.string().max(50).optional(),
	/** Who rejected: `bitrix24:deal:<id>`, `api`. */
	by: z.string().max(200),
});
