import { type Customer, TimelinePageSchema } from '@nitka/shared';
import { newestCardLink, newestReturnLink } from '../actions/chat-buttons.ts';
import { receivedBy } from '../actions/customer-players.ts';
import { findCustomer } from '../actions/find-customer.ts';
import type { DemoContext } from '../demo-context.ts';
import { accountId, messengers, type PersonaId, personas } from '../personas.ts';

/**
 * What the page shows for a persona: the customers Nitka holds for their accounts, phone and
 * marketplace buyer ids (one once they are linked) with each timeline and, where Nitka made one, the
 * contact card in the emulated Bitrix24 portal; and the shop's messages each account received.
 */
export async function personaView(ctx: DemoContext, id: PersonaId) {
	const persona = personas[id];
	const found = await Promise.all([
		...messengers.map((m) => findCustomer(ctx.api, m, accountId(persona, m))),
		findCustomer(ctx.api, 'phone', persona.phone),
		findCustomer(ctx.api, 'ozon_buyer', String(persona.buyer.ozon)),
		findCustomer(ctx.api, 'yandex_market_buyer', persona.buyer.yandexMarket),
	]);
	const unique = new Map<string, Customer>();
	for (const customer of found) if (customer) unique.set(customer.id, customer);
	const customers = await Promise.all(
		[...unique.values()].map(async (customer) => {
			const contact = customer.identities.find((i) => i.type === 'bitrix24_contact')?.value;
			return {
				customer,
				timeline: (
					await ctx.api.call('GET', `/customers/${customer.id}/timeline?limit=50`, TimelinePageSchema)
				).items,
				bitrix24Card: contact && ctx.portal.app ? ctx.portal.contactCardUrl(contact) : null,
			};
		}),
	);
	return {
		persona: { id, name: persona.name, phone: persona.phone },
		customers,
		received: receivedBy(ctx.platforms, persona),
		/** The newest card page link the bot sent them ("My card"), to open as they would. */
		cardLink: newestCardLink(ctx.platforms, persona) ?? null,
		/** The newest return QR link (journey 3, after approval). */
		returnLink: newestReturnLink(ctx.platforms, persona) ?? null,
	};
}
