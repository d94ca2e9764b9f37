import { z } from 'zod';
import { CurrencySchema, MoneySchema } from '../common.ts';
import { OrderItemSchema } from './order.ts';

const atLocation = { locationId: z.string().min(1).max(100), deviceId: z.string().max(100).optional() };

export const PosVisitDataSchema = z.object({ ...atLocation, note: z.string().max(2000).optional() });

export const PosPurchaseDataSchema = z.object({
	...atLocation,
	receiptId: z.string().min(1).max(200),
	items: z.array(OrderItemSchema).max(500).default([]),
	total: MoneySchema,
	currency: CurrencySchema.default('RUB'),
});

export const PosPickupDataSchema = z.object({
	...atLocation,
	orderId: z.string().min(1).max(200),
	/** The order's number as the shop and the customer call it (the timeline line shows it). */
	orderNumber: z.string().min(1).max(200).optional(),
});

export const PosReturnDataSchema = z.object({
	...atLocation,
	orderId: z.string().max(200).optional(),
	receiptId: z.string().max(200).optional(),
	items: z.array(OrderItemSchema).max(500).default([]),
	total: MoneySchema.optional(),
	reason: z.string().max(2000).optional(),
});

export const PromoIssuedDataSchema = z.object({
	code: z.string().min(1).max(100),
	campaign: z.string().max(200).optional(),
	expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export const PromoRedeemedDataSchema = z.object({ code: z.string().min(1).max(100), ...atLocation });
