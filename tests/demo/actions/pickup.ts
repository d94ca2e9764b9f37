import {
	CounterActionResultSchema,
	CounterPickupListSchema,
	CounterPickupSchema,
	type Customer,
} from '@nitka/shared';
import { z } from 'zod';
import type { TgMessage } from '../../emulators/telegram/types.ts';
import type { DemoContext } from '../demo-context.ts';
import { type PersonaId, PersonaIdSchema, personas } from '../personas.ts';
import { type DemoLocationId, demoLocations } from '../seed/demo-counter.ts';
import { CounterLocationSchema, counterAt, scanCardQr } from './counter-desk.ts';
import { customerPlayers } from './customer-players.ts';
import { DemoConflictError, defineAction } from './define-action.ts';
import { findCustomer } from './find-customer.ts';
import { waitFor } from './wait.ts';

const callbacks = (m: TgMessage) =>
	(m.reply_markup?.inline_keyboard.flat() ?? []).map((b) => b.callback_data ?? '');

/**
 * Journey 1 in the chat: the persona opens the catalog in the Telegram bot (/catalog; the products
 * are the Bitrix24 CRM catalog's), taps the first product, one piece, the chosen pickup location,
 * and confirms: the order is placed in Bitrix24 (a deal) and the counter's list has it to prepare.
 */
export const orderForPickup = defineAction({
	input: z.object({ persona: PersonaIdSchema, location: CounterLocationSchema.default('store') }),
	async run(ctx, { persona, location }) {
		const user = customerPlayers.telegram(ctx.platforms, personas[persona]);
		const lastId = () => user.received.at(-1)?.message_id ?? 0;
		/** The bot's first message after `after` that offers a button starting with `prefix`, or says `text`. */
		const next = async (after: number, prefix: string) =>
			await waitFor(
				() =>
					user.received.find(
						(m) =>
							m.message_id > after &&
							(callbacks(m).some((c) => c.startsWith(prefix)) ||
								/недоступен|не открывается|Не получилось|нет в наличии/.test(m.text ?? '')),
					),
				15_000,
			);
		const step = async (after: number, prefix: string, choose: (data: string[]) => string | undefined) => {
			const message = await next(after, prefix);
			const data = message && choose(callbacks(message).filter((c) => c.startsWith(prefix)));
			if (!message || !data)
				throw new DemoConflictError(message?.text ?? `the bot has not answered yet (${prefix}): try again`);
			const before = lastId();
			user.pressButton(message.message_id, data);
			return before;
		};
		let seen = lastId();
		user.sendText('/catalog');
		seen = await step(seen, 'co:add:', (d) => d[0]);
		seen = await step(seen, 'co:qty:', (d) => d.find((c) => c === 'co:qty:1') ?? d[0]);
		const place = `co:loc:${ctx.counter[location].location.id}`;
		seen = await step(seen, 'co:loc:', (d) => d.find((c) => c === place));
		seen = await step(seen, 'co:ok', (d) => d[0]);
		const accepted = await waitFor(
			() => user.received.find((m) => m.message_id > seen && /принят|Не получилось/.test(m.text ?? '')),
			15_000,
		);
		const number = /Заказ №(\S+) принят/.exec(accepted?.text ?? '')?.[1];
		if (!number)
			throw new DemoConflictError(accepted?.text ?? 'the order is still being placed: look in a second');
		return { number, summary: `№${number} → ${demoLocations[location].name}` };
	},
});

const belongsTo = (customer: Customer, customerId: string) =>
	customer.id === customerId || customer.mergedIds.includes(customerId);

async function telegramCustomer(ctx: DemoContext, persona: PersonaId) {
	const customer = await findCustomer(ctx.api, 'telegram', String(personas[persona].telegram.id));
	if (!customer) throw new DemoConflictError('Nitka does not know this Telegram customer yet');
	return customer;
}

/** Staff press "Mark ready" on the location's pickup list for the persona's newest order to prepare. */
export const markReady = defineAction({
	input: z.object({ persona: PersonaIdSchema, location: CounterLocationSchema.default('store') }),
	async run(ctx, { persona, location }) {
		const customer = await telegramCustomer(ctx, persona);
		const counter = counterAt(ctx, location);
		const { items } = await counter.call('GET', '/pickups?state=to_prepare', CounterPickupListSchema);
		const pickup = items
			.filter((p) => belongsTo(customer, p.customerId))
			.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
		if (!pickup)
			throw new DemoConflictError(
				`no order of theirs to prepare at ${demoLocations[location].name}: order first`,
			);
		const ready = await counter.call('POST', `/pickups/${pickup.orderId}/ready`, CounterPickupSchema, {});
		return { number: ready.number, state: ready.state, summary: `№${ready.number}: ${ready.state}` };
	},
});

/**
 * The persona comes for the order: shows their card's QR (the «Моя карта» button under "ready"),
 * and staff press "Hand over" on the ready pickup on their card.
 */
export const handOver = defineAction({
	input: z.object({ persona: PersonaIdSchema, location: CounterLocationSchema.default('store') }),
	async run(ctx, { persona, location }: { persona: PersonaId; location: DemoLocationId }) {
		const card = await scanCardQr(ctx, personas[persona], location);
		const pickup = card.pickups.find((p) => p.state === 'ready');
		if (!pickup) throw new DemoConflictError('no order ready for them here: mark it ready first');
		const result = await counterAt(ctx, location).call(
			'POST',
			`/customers/${card.customer.id}/pickups`,
			CounterActionResultSchema,
			{ orderId: pickup.orderId },
		);
		return {
			...result,
			number: pickup.number,
			summary: `№${pickup.number} ✓ ${demoLocations[location].name}`,
		};
	},
});
