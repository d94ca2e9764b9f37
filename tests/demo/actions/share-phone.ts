import { z } from 'zod';
import { PersonaIdSchema, personas } from '../personas.ts';
import { customerPlayers } from './customer-players.ts';
import { defineAction } from './define-action.ts';

/** The persona presses "share my phone" in Telegram: their own contact, so the phone counts as proven. */
export const sharePhone = defineAction({
	input: z.object({ persona: PersonaIdSchema }),
	run({ platforms }, { persona }) {
		const who = personas[persona];
		customerPlayers.telegram(platforms, who).shareOwnContact(who.phone);
		return { shared: true };
	},
});
