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

/**
 * A business buyer's requisites as the marketplace gave them. The INN names the company (it is
 * also the company customer's `inn` identifier); the KPP names the registration the order was
 * placed under (a branch has its own), so it belongs to the order, never merges anyone.
 */
export const BuyerCompanySchema = z.object({
	inn: z.string().regex(/^(\d{10}|\d{12})$/, 'an INN has 10 (a company) or 12 (a sole trader) digits'),
	kpp: z
		.string()
		.regex(/^\d{4}[\dA-Z]{2}\d{3}$/, 'a KPP has 9 characters: 4 digits, 2 digits or capitals, 3 digits')
		.optional(),
	name: z.string().min(1).max(300).optional(),
});
export type BuyerCompany = z.infer<typeof BuyerCompanySchema>;

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
	/** A business buyer's INN/KPP, where the marketplace names one. */
	buyerCompany: BuyerCompanySchema.optional(),
});

export const OrderStatusChangedDataSchema = z.object({
	source: OrderSourceSchema,
	orderId: z.string().min(1).max(200),
	number: z.string().min(1).max(200),
	from: OrderStatusSchema.nullable(),
	to: OrderStatusSchema,
	rawStatus: z.string().max(200),
});
