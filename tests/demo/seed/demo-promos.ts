import { CustomerSchema, PromoCampaignSchema } from '@nitka/shared';
import { z } from 'zod';
import { pressNewestButton } from '../actions/chat-buttons.ts';
import { customerPlayers } from '../actions/customer-players.ts';
import { findCustomer } from '../actions/find-customer.ts';
import { waitFor } from '../actions/wait.ts';
import type { ConnectorApi } from '../connector/connector-api.ts';
import { type PersonaId, personas } from '../personas.ts';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';

/** Journey 2's campaigns: the VK offer, and the next one its thank-you carries. */
export const demoCampaigns = {
	next: {
		name: 'Демо: следующий визит',
		offer: 'В следующий раз — улун недели со скидкой 20%.',
		codePrefix: 'NX',
		channels: ['vk', 'telegram'],
	},
	vk: {
		name: 'Демо: осень во ВКонтакте',
		offer: 'Скидка 15% на весь чай до конца месяца.',
		codePrefix: 'VK',
		channels: ['vk'],
		followUp: { text: 'Будем рады видеть вас снова!', delayMinutes: 0 },
	},
} as const;

/** The VK personas who agreed to receive offers (through the bot's button) before the demo begins. */
export const consentingVkPersonas: readonly PersonaId[] = ['boris', 'vera'];

const Items = z.object({ items: z.array(PromoCampaignSchema) });

/**
 * The campaigns, made once through the admin API (found by name on a later start). The VK one is
 * made last, so a customer asking for a code gets one of it (the newest live campaign on VK), and
 * its thank-you brings the next campaign's code.
 */
export async function ensureDemoPromos(api: ConnectorApi): Promise<{ campaignId: string }> {
	const { items } = await api.call('GET', '/promo-campaigns', Items);
	const find = (name: string) => items.find((c) => c.name === name && c.status === 'active');
	const next =
		find(demoCampaigns.next.name) ??
		(await api.call('POST', '/promo-campaigns', PromoCampaignSchema, demoCampaigns.next));
	const vk =
		find(demoCampaigns.vk.name) ??
		(await api.call('POST', '/promo-campaigns', PromoCampaignSchema, {
			...demoCampaigns.vk,
			followUp: { ...demoCampaigns.vk.followUp, nextCampaignId: next.id },
		}));
	return { campaignId: vk.id };
}

const hasMarketingConsent = async (api: ConnectorApi, id: PersonaId) => {
	const known = await findCustomer(api, 'vk', String(personas[id].vk.id));
	if (!known) return false;
	const customer = await api.call('GET', `/customers/${known.id}`, CustomerSchema);
	return customer.consents.some((c) => c.purpose === 'marketing' && c.status === 'given');
};

/**
 * Each consenting persona does in VK what a customer does: asks for a code, and presses «Согласен
 * получать предложения» under the bot's question. Skipped for one whose consent the connector
 * already holds (a later start). Gives up quietly after a while: the persona can still do it on
 * the page.
 */
export async function ensureConsentingVkPersonas(
	api: ConnectorApi,
	platforms: DemoPlatforms,
	log: (line: string) => void,
): Promise<void> {
	await Promise.all(
		consentingVkPersonas.map(async (id) => {
			if (await hasMarketingConsent(api, id)) return;
			const who = personas[id];
			customerPlayers
				.vk(platforms, who)
				.write(platforms.club.id, 'Здравствуйте! Пришлите промокод, хочу получать ваши предложения.');
			const asked = await waitFor(() => pressNewestButton(platforms, who, 'vk', 'promo:consent'), 15_000);
			const given = asked && (await waitFor(() => hasMarketingConsent(api, id), 15_000));
			if (!given) log(`promo     ${id}: no VK consent yet (the bot did not answer in time)`);
		}),
	);
}
