import { type PersonaId, personas } from '../personas.ts';
import type { MarketplaceDesks, MarketplaceId } from './registry.ts';

// A few orders so the seller's lists are not empty; the emulators start empty each run, so this
// runs every start and leaves the same picture (the same numbers, which the connector already holds).
const seed: [MarketplaceId, PersonaId, number][] = [
	['ozon', 'anna', 2],
	['ozon', 'boris', 0],
	['wildberries', 'vera', 1],
	['wildberries', 'anna', 0],
	['yandex-market', 'boris', 3],
];

/**
 * Places the seed orders and moves each the given number of steps; then skips the order numbers an
 * earlier run's orders took (`used`: the highest sequence per marketplace), so a new order is never
 * taken for an old one.
 */
export function seedOrders(desks: MarketplaceDesks, used: Partial<Record<MarketplaceId, number>> = {}): void {
	for (const [marketplace, persona, steps] of seed) {
		const desk = desks[marketplace];
		const order = desk.place(personas[persona]);
		for (let i = 0; i < steps; i++) desk.advance(order.id);
	}
	for (const [marketplace, sequence] of Object.entries(used) as [MarketplaceId, number][])
		desks[marketplace].skipPast(sequence);
}
