import { PromoIssueResultSchema } from '@nitka/shared';
import { z } from 'zod';
import { PersonaIdSchema, personas } from '../personas.ts';
import { pressNewestButton } from './chat-buttons.ts';
import { customerPlayers } from './customer-players.ts';
import { DemoConflictError, defineAction } from './define-action.ts';
import { waitFor } from './wait.ts';

const PromoMessengerSchema = z.enum(['vk', 'telegram']);
const CONSENT_DATA = 'promo:consent';

/** The persona asks the community (or the bot) for a promo code in their own words. */
export const askForPromo = defineAction({
	input: z.object({ persona: PersonaIdSchema, messenger: PromoMessengerSchema.default('vk') }),
	run({ platforms }, { persona, messenger }) {
		const who = personas[persona];
		const text = 'Здравствуйте! А промокод есть?';
		if (messenger === 'vk') customerPlayers.vk(platforms, who).write(platforms.club.id, text);
		else customerPlayers.telegram(platforms, who).sendText(text);
		return { sent: true };
	},
});

/**
 * The persona presses «Согласен получать предложения» under the bot's question: Nitka records the
 * marketing consent and answers with their code (or says no campaign runs now).
 */
export const consentToOffers = defineAction({
	input: z.object({ persona: PersonaIdSchema, messenger: PromoMessengerSchema.default('vk') }),
	async run({ platforms }, { persona, messenger }) {
		const who = personas[persona];
		const pressed = await waitFor(() => pressNewestButton(platforms, who, messenger, CONSENT_DATA), 3_000);
		if (!pressed) throw new DemoConflictError('no consent question to answer: ask for a promo code first');
		return { pressed: true };
	},
});

/**
 * The shop issues the demo campaign's personal codes to its VK segment (admin API): only customers
 * with a current marketing consent get one; those with an open chat get it in a message.
 */
export const issuePromo = defineAction({
	input: z.object({}),
	async run({ api, promo }) {
		const result = await api.call(
			'POST',
			`/promo-campaigns/${promo.campaignId}/issue`,
			PromoIssueResultSchema,
			{},
		);
		return {
			...result,
			summary: `выдано / issued ${result.issued}, уже были / already ${result.alreadyIssued}, в чат / messaged ${result.messaged}`,
		};
	},
});
