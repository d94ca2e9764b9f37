import { z } from 'zod';
import { CurrencySchema, MoneySchema } from '../common.ts';

/** The one order lifecycle every source maps onto; the source's raw status is kept beside it. */
export const orderStatuses = [
	'created',
	'awaiting_packaging',
	'awaiting_shipment',
	'shipped',
	'ready_for_pickup',
	'delivered',
	'cancelled',
	'returned',
] as const;
export const OrderStatusSchema = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const OrderSourceSchema = z.enum([
	'woocommerce',
	'bitrix24',
	'ozon',
	'wildberries',
	'yandex-market',
	'chat',
]);
export type OrderSource = z.infer<typeof OrderSourceSchema>;

export const OrderItemSchema = z.object({
	sku: z.string().max(200).optional(),
	name: z.string().min(1).max(500),
	quantity: z.number().positive(),
	price: MoneySchema,
});

export const OrderCreatedDataSchema = z.object({
	source: OrderSourceSchema,
	/** The source's order id (a posting number, a WooCommerce order id). */
	orderId: z.string().min(1).max(200),
	/** What the shop and the buyer call it. */
	number: z.string().min(1).max(200),
	status: OrderStatusSchema,
	rawStatus: z.string().max(200),
	total: MoneySchema.optional(),
	currency: CurrencySchema.default('RUB'),
	items: z.array(OrderItemSchema).max(500).default([]),
});

export const OrderStatusChangedDataSchema = z.object({
	source: OrderSourceSchema,
	orderId: z.string().min(1).max(200),
	number: z.string().min(1).max(200),
	from: OrderStatusSchema.nullable(),
	to: OrderStatusSchema,
	rawStatus: z.string().max(200),
});
