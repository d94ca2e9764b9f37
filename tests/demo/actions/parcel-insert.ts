import { OrderSchema, ParcelInsertSchema } from '@nitka/shared';
import { z } from 'zod';
import { MarketplaceIdSchema } from '../marketplaces/registry.ts';
import { PersonaIdSchema, personas } from '../personas.ts';
import { customerPlayers } from './customer-players.ts';
import { DemoConflictError, defineAction } from './define-action.ts';

const OrdersSchema = z.object({ items: z.array(OrderSchema) });

/**
 * The parcel comes with Nitka's insert ("Track this order in Telegram"): the shop prints it through
 * the connector's insert route, and the persona follows its Telegram link. The order, and its buyer's
 * earlier orders, join the persona's Telegram customer.
 */
export const followParcelInsert = defineAction({
	input: z.object({
		marketplace: MarketplaceIdSchema,
		orderId: z.string().min(1).max(64),
		persona: PersonaIdSchema,
	}),
	async run({ platforms, api }, { marketplace, orderId, persona }) {
		const query = new URLSearchParams({ source: marketplace, number: orderId });
		const [order] = (await api.call('GET', `/orders?${query}`, OrdersSchema)).items;
		if (!order) throw new DemoConflictError('Nitka has not seen this order yet: try again in a second');
		const insert = await api.call('POST', `/orders/${order.id}/insert`, ParcelInsertSchema, {});
		const telegram = insert.links.find((l) => l.channel === 'telegram');
		if (!telegram) throw new DemoConflictError('the insert has no Telegram link: no bot is connected');
		customerPlayers.telegram(platforms, personas[persona]).start(insert.token);
		return { url: telegram.url, caption: insert.caption, orderId: order.id };
	},
});
