import { CounterActionResultSchema, type Customer, CustomerCardSchema, ReturnDtoSchema } from '@nitka/shared';
import { z } from 'zod';
import { completeTaskAsUser, tasksOf } from '../../emulators/bitrix24/index.ts';
import type { TgMessage } from '../../emulators/telegram/types.ts';
import { decodeQrSvg } from '../../support/qr-decode.ts';
import type { DemoContext } from '../demo-context.ts';
import { PersonaIdSchema, personas } from '../personas.ts';
import { demoLocations } from '../seed/demo-counter.ts';
import { newestReturnLink } from './chat-buttons.ts';
import { CounterLocationSchema, cardSummary, counterAt } from './counter-desk.ts';
import { customerPlayers } from './customer-players.ts';
import { DemoConflictError, defineAction } from './define-action.ts';
import { findCustomer } from './find-customer.ts';
import { waitFor } from './wait.ts';

const ORDER_BUTTON = 'return:order:';
const NO_ORDER = 'return:order:none';
const Returns = z.object({ items: z.array(ReturnDtoSchema) });

/**
 * Journey 3 in the chat: the persona sends /return in Telegram, picks their newest order from the
 * bot's buttons (or "other / no order"; without orders the bot asks for the reason at once), and
 * describes what happened: a return request, and a ticket for the manager in Bitrix24.
 */
export const requestReturn = defineAction({
	input: z.object({
		persona: PersonaIdSchema,
		reason: z.string().trim().min(1).max(2000),
		withoutOrder: z.boolean().default(false),
	}),
	async run({ platforms }, { persona, reason, withoutOrder }) {
		const user = customerPlayers.telegram(platforms, personas[persona]);
		const newer = (after: number) => (m: TgMessage) => m.message_id > after;
		const lastId = () => user.received.at(-1)?.message_id ?? 0;
		let seen = lastId();
		user.sendText('/return');
		const answer = await waitFor(() =>
			user.received.find((m) => newer(seen)(m) && /Какой заказ|Опишите/.test(m.text ?? '')),
		);
		if (!answer) throw new DemoConflictError('the bot did not answer /return: try again in a second');
		const buttons = answer.reply_markup?.inline_keyboard.flat() ?? [];
		const pick = withoutOrder
			? buttons.find((b) => b.callback_data === NO_ORDER)
			: (buttons.find((b) => b.callback_data?.startsWith(ORDER_BUTTON) && b.callback_data !== NO_ORDER) ??
				buttons.find((b) => b.callback_data === NO_ORDER));
		if (pick?.callback_data) {
			seen = lastId();
			user.pressButton(answer.message_id, pick.callback_data);
			const asked = await waitFor(() =>
				user.received.find((m) => newer(seen)(m) && m.text?.includes('Опишите')),
			);
			if (!asked) throw new DemoConflictError('the bot did not ask for the reason: try again');
		}
		seen = lastId();
		user.sendText(reason);
		const confirmed = await waitFor(() =>
			user.received.find((m) => newer(seen)(m) && m.text?.includes('Заявка на возврат')),
		);
		if (!confirmed) throw new DemoConflictError('the bot has not confirmed the request yet');
		const number = /R-[0-9A-Z]{8}/.exec(confirmed.text ?? '')?.[0] ?? null;
		return { number, order: pick?.text ?? null, summary: `${number ?? ''} ${pick?.text ?? ''}`.trim() };
	},
});

const belongsTo = (customer: Customer, customerId: string) =>
	customer.id === customerId || customer.mergedIds.includes(customerId);

/** The persona's newest return in a state, as the shop's API lists it. */
async function newestReturn(
	ctx: DemoContext,
	persona: keyof typeof personas,
	state: 'requested' | 'approved',
) {
	const customer = await findCustomer(ctx.api, 'telegram', String(personas[persona].telegram.id));
	if (!customer) throw new DemoConflictError('Nitka does not know this Telegram customer yet');
	const { items } = await ctx.api.call('GET', `/returns?state=${state}`, Returns);
	return items
		.filter((r) => belongsTo(customer, r.customerId))
		.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

/**
 * The manager approves the persona's newest return request: in Bitrix24 they complete the task
 * Nitka made for them (the portal sends ONTASKUPDATE; Nitka reads the task and approves), or — a
 * host without ticket events — the shop calls the approve route. The return QR goes to the chat.
 */
export const approveReturn = defineAction({
	input: z.object({ persona: PersonaIdSchema, via: z.enum(['bitrix24', 'api']).default('bitrix24') }),
	async run(ctx, { persona, via }) {
		const request = await newestReturn(ctx, persona, 'requested');
		if (!request) throw new DemoConflictError('no return request waits for approval: ask to return first');
		if (via === 'api') {
			const approved = await ctx.api.call('POST', `/returns/${request.id}/approve`, ReturnDtoSchema, {});
			return {
				number: approved.number,
				state: approved.state,
				summary: `${approved.number}: ${approved.state}`,
			};
		}
		const taskId = /^task:(\d+)$/.exec(request.hostTicketId ?? '')?.[1];
		if (!taskId)
			throw new DemoConflictError(
				request.hostTicketId
					? `the ticket is ${request.hostTicketId}, not a task: approve through the API`
					: 'the Bitrix24 task is not there yet: try again in a second',
			);
		const { bitrix24 } = ctx.platforms;
		const { state } = bitrix24.portal();
		const task = tasksOf(state).get(Number(taskId));
		if (!task) throw new DemoConflictError(`task ${taskId} is not in this run's portal`);
		await completeTaskAsUser(state, bitrix24.events, bitrix24.clock, task.ID, task.RESPONSIBLE_ID);
		return {
			number: request.number,
			taskId: task.ID,
			url: request.hostTicketUrl,
			summary: `${request.number}: задача ${task.ID} завершена / task ${task.ID} completed`,
		};
	},
});

/**
 * At the counter the persona shows the return QR from the link the bot sent: the tablet scans it
 * (the customer card says which return it is) and staff accept the goods.
 */
export const acceptReturn = defineAction({
	input: z.object({ persona: PersonaIdSchema, location: CounterLocationSchema.default('store') }),
	async run(ctx, { persona, location }) {
		const link = newestReturnLink(ctx.platforms, personas[persona]);
		if (!link) throw new DemoConflictError('no return QR in the chat yet: the manager approves first');
		const image = await fetch(`${link}/qr.svg`);
		if (!image.ok) throw new DemoConflictError(`the return page answered ${image.status}`);
		const qr = decodeQrSvg(await image.text());
		const counter = counterAt(ctx, location);
		const card = await counter.call('POST', '/identify', CustomerCardSchema, { qr });
		const returnId = card.scanned?.returnId;
		if (!returnId) throw new DemoConflictError('the scanned code is not a return QR');
		const result = await counter.call(
			'POST',
			`/customers/${card.customer.id}/returns`,
			CounterActionResultSchema,
			{
				returnId,
				items: [],
			},
		);
		return {
			...result,
			summary: `${card.returns.find((r) => r.id === returnId)?.orderNumber ?? returnId} ✓ ${demoLocations[location].name}`,
			card: cardSummary(card, location).summary,
		};
	},
});
