import type { Persona } from '../personas.ts';

/** An order as the demo page shows it, whichever marketplace it came from. */
export interface OrderView {
	marketplace: string;
	id: string;
	status: string;
	buyer: string | null;
	items: string;
	createdAt: string;
}

/**
 * The seller's side of one emulated marketplace: a buyer places an order, the marketplace and the
 * seller move it on. Adding a marketplace to the demo is one desk plus one line in `registry.ts`.
 */
export interface MarketplaceDesk {
	title: { ru: string; en: string };
	place(persona: Persona): OrderView;
	/** Moves an order one step along its delivery path; throws when it has nowhere to go. */
	advance(orderId: string): OrderView;
	list(): OrderView[];
	/**
	 * The emulator numbers orders from the same start each run while the connector remembers them:
	 * takes (and drops) numbers until the next order's sequence is past `used`, the highest an earlier
	 * run's order had (see `sequenceOf`).
	 */
	skipPast(used: number): void;
	/** The emulator's order sequence in an order's external id, as the connector stores it. */
	sequenceOf(externalId: string): number;
}

/** Drops orders `take` makes until one's sequence reaches `used` (bounded: a corrupt number cannot spin). */
export function skipSequence(used: number, take: () => number): void {
	for (let i = 0; i < 1_000_000; i++) if (take() >= used) return;
}

export class OrderNotMovableError extends Error {
	override readonly name = 'OrderNotMovableError';
}
