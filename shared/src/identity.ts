import { z } from 'zod';
import { TimestampSchema } from './common.ts';

/**
 * Strong identifiers only: names never merge people. `single` types can hold one value per person,
 * so two customers holding *different* values of one are probably two people (a merge goes to review).
 * Marketplace buyer ids are scoped to their marketplace and never stand for a phone.
 */
export const identifierTypes = {
	phone: { cardinality: 'multi', label: 'Phone' },
	email: { cardinality: 'multi', label: 'Email' },
	telegram: { cardinality: 'single', label: 'Telegram user' },
	vk: { cardinality: 'single', label: 'VK user' },
	max: { cardinality: 'single', label: 'MAX user' },
	loyalty_card: { cardinality: 'single', label: 'Loyalty card' },
	bitrix24_contact: { cardinality: 'single', label: 'Bitrix24 contact' },
	woocommerce_customer: { cardinality: 'single', label: 'WooCommerce customer' },
	ozon_buyer: { cardinality: 'single', label: 'Ozon buyer' },
	wildberries_buyer: { cardinality: 'single', label: 'Wildberries buyer' },
	yandex_market_buyer: { cardinality: 'single', label: 'Yandex Market buyer' },
	inn: { cardinality: 'multi', label: 'INN (business buyer)' },
} as const satisfies Record<string, { cardinality: 'single' | 'multi'; label: string }>;

export type IdentifierType = keyof typeof identifierTypes;
export const IdentifierTypeSchema = z.enum(
	Object.keys(identifierTypes) as [IdentifierType, ...IdentifierType[]],
);

/** An identifier as it arrives, before normalization. */
export const IdentifierInputSchema = z.object({
	type: IdentifierTypeSchema,
	value: z.string().min(1).max(256),
	/** True when the platform proved it belongs to the person (own shared contact, verified email…). */
	verified: z.boolean().default(false),
});
export type IdentifierInput = z.input<typeof IdentifierInputSchema>;

/** An identifier as stored: normalized value, owned by exactly one customer. */
export const IdentitySchema = z.object({
	id: z.string(),
	customerId: z.string(),
	type: IdentifierTypeSchema,
	value: z.string(),
	verified: z.boolean(),
	source: z.string(),
	createdAt: TimestampSchema,
});
export type Identity = z.infer<typeof IdentitySchema>;
