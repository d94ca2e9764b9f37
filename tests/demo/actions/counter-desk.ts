import { CounterActionResultSchema, type CustomerCard, CustomerCardSchema } from '@nitka/shared';
import { z } from 'zod';
import { decodeQrSvg } from '../../support/qr-decode.ts';
import { createCounterClient } from '../connector/counter-client.ts';
import type { DemoContext } from '../demo-context.ts';
import { type Persona, PersonaIdSchema, personas } from '../personas.ts';
import { type DemoLocationId, demoLocations } from '../seed/demo-counter.ts';
import { newestCardLink } from './chat-buttons.ts';
import { DemoConflictError, defineAction } from './define-action.ts';

export const CounterLocationSchema = z.enum(
	Object.keys(demoLocations) as [DemoLocationId, ...DemoLocationId[]],
);

/** The location's tablet, paired with the demo's device key. */
export const counterAt = (ctx: DemoContext, location: DemoLocationId) =>
	createCounterClient(ctx.api.url, ctx.counter[location].key);

/**
 * The persona opens their card page and holds its QR to the tablet's scanner: the QR image the page
 * shows now (a fresh single-use token) is read as a scanner reads it and sent to identify.
 */
export async function scanCardQr(ctx: DemoContext, persona: Persona, location: DemoLocationId) {
	const link = newestCardLink(ctx.platforms, persona);
	if (!link) throw new DemoConflictError('ask for the card in a chat first ("My card")');
	const image = await fetch(`${link}/qr.svg`);
	if (!image.ok)
		throw new DemoConflictError(`the card page answered ${image.status}: ask for a new card link`);
	const qr = decodeQrSvg(await image.text());
	return await counterAt(ctx, location).call('POST', '/identify', CustomerCardSchema, { qr });
}

/** What the tablet shows of a card, in one line for the demo page. */
export function cardSummary(card: CustomerCard, location: DemoLocationId) {
	const codes = card.promoCodes.map((p) => p.code);
	const pickups = card.pickups.map((p) => `${p.number} (${p.state})`);
	return {
		customerId: card.customer.id,
		name: card.customer.name,
		loyaltyNumber: card.loyaltyNumber,
		promoCodes: codes,
		pickups: card.pickups,
		returns: card.returns.map((r) => ({ id: r.id, orderNumber: r.orderNumber })),
		summary: [
			`${demoLocations[location].name}: ${card.customer.name ?? card.customer.id}`,
			`карта / card ${card.loyaltyNumber}`,
			`промокоды / codes: ${codes.join(', ') || '—'}`,
			`к выдаче / pickups: ${pickups.join(', ') || '—'}`,
			`возвраты / returns: ${card.returns.length || '—'}`,
		].join(' · '),
	};
}

const AtCounter = z.object({ persona: PersonaIdSchema, location: CounterLocationSchema.default('store') });

/** The customer shows their card's QR at the counter: staff see their card (a `pos` identify). */
export const scanCard = defineAction({
	input: AtCounter,
	async run(ctx, { persona, location }) {
		return cardSummary(await scanCardQr(ctx, personas[persona], location), location);
	},
});

/**
 * Journey 2 at the till: the customer shows their card, staff redeem their promo code (the one
 * they name, else the first active one on the card) — once; the thank-you follows in their chat.
 */
export const redeemPromo = defineAction({
	input: AtCounter.extend({ code: z.string().trim().min(1).max(100).optional() }),
	async run(ctx, { persona, location, code }) {
		const card = await scanCardQr(ctx, personas[persona], location);
		const chosen = code ?? card.promoCodes[0]?.code;
		if (!chosen) throw new DemoConflictError('no active promo code on this card: ask for one in VK first');
		const result = await counterAt(ctx, location).call(
			'POST',
			`/customers/${card.customer.id}/promo-redemptions`,
			CounterActionResultSchema,
			{ code: chosen },
		);
		return { ...result, code: chosen, summary: `${chosen} ✓ ${demoLocations[location].name}` };
	},
});
