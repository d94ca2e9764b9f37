import { z } from 'zod';

/** `BusinessOrderDTO` (research §7.3): no buyer object; the fields Nitka reads, the rest passes. */
export const YmOrderSchema = z.looseObject({
	orderId: z.number().int(),
	campaignId: z.number().int(),
	programType: z.string().optional(),
	status: z.string(),
	substatus: z.string().optional(),
	creationDate: z.string(),
	updateDate: z.string().optional(),
	buyerType: z.string().optional(),
	items: z
		.array(
			z.looseObject({
				offerId: z.string().optional(),
				offerName: z.string().optional(),
				count: z.number(),
				prices: z.looseObject({ payment: z.looseObject({ value: z.number() }).optional() }).optional(),
			}),
		)
		.default([]),
	prices: z.looseObject({ payment: z.looseObject({ value: z.number() }).optional() }).optional(),
});
export type YmOrder = z.infer<typeof YmOrderSchema>;

export const YmOrdersPageSchema = z.object({
	orders: z.array(z.unknown()),
	paging: z.object({ nextPageToken: z.string().optional() }).default({}),
});

/** `OrderBuyerInfoDTO`: DBS only; `phone` is a substitute number and is never read (research §7.3). */
export const YmBuyerSchema = z.looseObject({
	id: z.string().optional(),
	lastName: z.string().optional(),
	firstName: z.string().optional(),
	middleName: z.string().optional(),
	type: z.string().optional(),
});
export type YmBuyer = z.infer<typeof YmBuyerSchema>;
export const YmBuyerAnswerSchema = z.object({ result: YmBuyerSchema });

/**
 * `OrderBusinessBuyerDTO` of POST /v2/campaigns/{campaignId}/orders/{orderId}/business-buyer
 * (getOrderBusinessBuyerInfo): a legal entity's INN, KPP, name and registered address.
 */
export const YmBusinessBuyerSchema = z.looseObject({
	inn: z.string().optional(),
	kpp: z.string().optional(),
	organizationName: z.string().optional(),
	organizationJurAddress: z.string().optional(),
});
export type YmBusinessBuyer = z.infer<typeof YmBusinessBuyerSchema>;
export const YmBusinessBuyerAnswerSchema = z.object({ result: YmBusinessBuyerSchema });

export const YmPageSchema = z.object({
	kind: z.literal('ym-page'),
	fetchedAt: z.number(),
	orders: z.array(z.unknown()),
	buyers: z.array(z.object({ orderId: z.number().int(), buyer: YmBuyerSchema })).default([]),
	/** Business buyers' INN/KPP, fetched for orders Market marks BUSINESS. */
	businessBuyers: z.array(z.object({ orderId: z.number().int(), buyer: YmBusinessBuyerSchema })).default([]),
});

/** API notifications (research §7.4), discriminated by `notificationType`. */
export const YmNotificationSchema = z.looseObject({
	notificationType: z.string().min(1),
	orderId: z.number().int().optional(),
	campaignId: z.number().int().optional(),
	status: z.string().optional(),
	substatus: z.string().optional(),
	createdAt: z.string().optional(),
	updatedAt: z.string().optional(),
	cancelledAt: z.string().optional(),
});
export const YmStoredPushSchema = z.object({
	kind: z.literal('ym-push'),
	notification: YmNotificationSchema,
});
