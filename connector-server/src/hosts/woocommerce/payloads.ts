import { z } from 'zod';

/** One line of an order or a cart. */
const ItemSnapshotSchema = z.object({
	name: z.string().max(500),
	quantity: z.number().nonnegative(),
	total: z.string().max(40),
	sku: z.string().max(200).default(''),
});

/** An order as the plugin snapshots it (wp-plugin/includes/Events/OrderSnapshot.php). */
export const OrderSnapshotSchema = z.object({
	orderId: z.string().regex(/^\d{1,20}$/),
	number: z.string().min(1).max(200),
	status: z.string().min(1).max(100),
	total: z.string().max(40),
	currency: z.string().length(3),
	totalRefunded: z.string().max(40).default('0'),
	customerId: z.number().int().nonnegative(),
	billing: z.object({
		firstName: z.string().max(200).default(''),
		lastName: z.string().max(200).default(''),
		email: z.string().max(254).default(''),
		phone: z.string().max(64).default(''),
	}),
	items: z.array(ItemSnapshotSchema).max(500).default([]),
	createdAt: z.number().int().positive(),
	modifiedAt: z.number().int().positive(),
	/** When the buyer ticked the checkout's marketing consent box (Unix seconds), if they did. */
	marketingConsentAt: z.number().int().positive().optional(),
});
export type OrderSnapshot = z.infer<typeof OrderSnapshotSchema>;

export const CustomerSnapshotSchema = z.object({
	customerId: z.number().int().positive(),
	email: z.string().max(254).default(''),
	phone: z.string().max(64).default(''),
	firstName: z.string().max(200).default(''),
	lastName: z.string().max(200).default(''),
	registeredAt: z.number().int().nonnegative(),
});

/**
 * A cart the plugin found idle (wp-plugin/includes/Events/CartEvents.php). A guest cart must carry
 * marketing consent and an email or phone: the plugin never queues one without, and this refuses it too.
 */
export const CartSnapshotSchema = z
	.object({
		cartId: z.string().regex(/^[a-z0-9]{1,64}$/i),
		customerId: z.number().int().nonnegative(),
		email: z.string().max(254).default(''),
		phone: z.string().max(64).default(''),
		firstName: z.string().max(200).default(''),
		lastName: z.string().max(200).default(''),
		consent: z.object({ given: z.boolean(), text: z.string().max(2000).default('') }),
		items: z.array(ItemSnapshotSchema).min(1).max(500),
		total: z.string().max(40),
		currency: z.string().length(3),
		updatedAt: z.number().int().positive(),
		idleSeconds: z.number().int().positive(),
	})
	.refine((cart) => cart.customerId > 0 || (cart.consent.given && (cart.email.trim() || cart.phone.trim())), {
		message: 'a guest cart needs marketing consent and an email or phone',
	});
export type CartSnapshot = z.infer<typeof CartSnapshotSchema>;

/** One queued shop event's payload, by kind. */
export const ShopEventPayloadSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('order'),
		trigger: z.enum(['created', 'status_changed', 'refunded', 'backfill']),
		order: OrderSnapshotSchema,
		previousStatus: z.string().max(100).optional(),
		refund: z
			.object({ id: z.string().max(40), amount: z.string().max(40), reason: z.string().max(1000) })
			.optional(),
	}),
	z.object({
		kind: z.literal('customer'),
		trigger: z.enum(['registered', 'updated']),
		customer: CustomerSnapshotSchema,
	}),
	z.object({ kind: z.literal('cart'), trigger: z.literal('abandoned'), cart: CartSnapshotSchema }),
]);
export type ShopEventPayload = z.infer<typeof ShopEventPayloadSchema>;

/** A delivery from the plugin's queue: up to 100 events, each with the plugin's queue key. */
export const ShopEventBatchSchema = z.object({
	events: z
		.array(
			z.object({
				key: z.string().min(3).max(191),
				kind: z.enum(['order', 'customer', 'cart']),
				payload: z.record(z.string(), z.unknown()),
			}),
		)
		.min(1)
		.max(100),
});
