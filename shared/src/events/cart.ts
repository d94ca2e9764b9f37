import { z } from 'zod';
import { CurrencySchema, MoneySchema } from '../common.ts';
import { OrderItemSchema, OrderSourceSchema } from './order.ts';

/**
 * A shop cart left untouched past the shop's idle time. Only for signed-in customers and for
 * guests who gave marketing consent with an email or phone; an order cancels it before it is sent.
 */
export const CartAbandonedDataSchema = z.object({
	source: OrderSourceSchema,
	/** The shop's opaque cart key (a signed-in customer or a hashed guest session). */
	cartId: z.string().min(1).max(200),
	total: MoneySchema,
	currency: CurrencySchema,
	items: z.array(OrderItemSchema).max(500).default([]),
	/** How long the cart sat idle before it counted as abandoned. */
	idleSeconds: z.number().int().positive(),
});
