import { z } from 'zod';
import { MessengerSchema, PersonaIdSchema, personas } from '../personas.ts';
import { newestCardLink } from './chat-buttons.ts';
import { customerPlayers } from './customer-players.ts';
import { DemoConflictError, defineAction } from './define-action.ts';
import { waitFor } from './wait.ts';

/**
 * The persona asks the bot for their card ("Моя карта": Telegram's /card menu command, VK's
 * keyboard button, the words in MAX) and gets a link to their card page with a rotating QR.
 */
export const askForCard = defineAction({
	input: z.object({ persona: PersonaIdSchema, messenger: MessengerSchema.default('telegram') }),
	async run({ platforms }, { persona, messenger }) {
		const who = personas[persona];
		const before = newestCardLink(platforms, who);
		if (messenger === 'telegram') customerPlayers.telegram(platforms, who).sendText('/card');
		else if (messenger === 'vk') customerPlayers.vk(platforms, who).write(platforms.club.id, 'Моя карта');
		else customerPlayers.max(platforms, who).sendText('Моя карта');
		const url = await waitFor(() => {
			const newest = newestCardLink(platforms, who);
			return newest !== before ? newest : undefined;
		});
		if (!url) throw new DemoConflictError('the bot sent no card link yet: try again in a second');
		return { url };
	},
});
