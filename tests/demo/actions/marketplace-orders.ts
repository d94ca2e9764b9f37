import { z } from 'zod';
import { MarketplaceIdSchema } from '../marketplaces/registry.ts';
import { PersonaIdSchema, personas } from '../personas.ts';
import { defineAction } from './define-action.ts';

/** The persona buys on a marketplace (the emulator records the order as the marketplace would). */
export const placeOrder = defineAction({
	input: z.object({ marketplace: MarketplaceIdSchema, persona: PersonaIdSchema }),
	run: ({ marketplaces }, { marketplace, persona }) => marketplaces[marketplace].place(personas[persona]),
});

/** The marketplace or the seller moves an order one step towards delivery. */
export const advanceOrder = defineAction({
	input: z.object({ marketplace: MarketplaceIdSchema, orderId: z.string().min(1).max(64) }),
	run: ({ marketplaces }, { marketplace, orderId }) => marketplaces[marketplace].advance(orderId),
});
