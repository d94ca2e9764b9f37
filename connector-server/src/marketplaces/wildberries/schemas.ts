import { z } from 'zod';

/** An assembly task in the FBS/DBS lists (research §6.3–6.4); lists carry no current status. */
export const WbOrderSchema = z.looseObject({
	id: z.number().int(),
	rid: z.string().optional(),
	createdAt: z.string(),
	article: z.string().optional(),
	nmId: z.number().optional(),
	price: z.number().optional(),
	currencyCode: z.number().optional(),
});

/** orders/new: used only to check the token. */
export const WbNewOrdersSchema = z.object({ orders: z.array(z.unknown()) });

export const WbListSchema = z.object({ next: z.number().int(), orders: z.array(z.unknown()) });

export const WbStatusSchema = z.looseObject({
	id: z.number().int(),
	supplierStatus: z.string(),
	wbStatus: z.string(),
});
export const WbStatusesSchema = z.object({ orders: z.array(WbStatusSchema) });

/** DBS buyer: names and substitute numbers only (research §6.4). The numbers are never read. */
export const WbClientSchema = z.looseObject({
	orderID: z.number().int(),
	firstName: z.string().optional(),
	fullName: z.string().optional(),
});
export const WbClientsSchema = z.object({ orders: z.array(WbClientSchema) });

export const WbB2bSchema = z.looseObject({
	orderID: z.number().int(),
	inn: z.string().optional(),
	kpp: z.string().optional(),
	orgName: z.string().optional(),
});
export const WbB2bListSchema = z.object({ orders: z.array(WbB2bSchema) });

export const WbPageSchema = z.object({
	kind: z.literal('wb-page'),
	type: z.enum(['fbs', 'dbs']),
	fetchedAt: z.number(),
	orders: z.array(z.unknown()),
	statuses: z.array(WbStatusSchema),
	clients: z.array(WbClientSchema).default([]),
	b2b: z.array(WbB2bSchema).default([]),
});
