import { z } from 'zod';
import { type Messenger, PersonaIdSchema, personas } from '../personas.ts';
import { customerPlayers } from './customer-players.ts';
import { defineAction } from './define-action.ts';

const WriteInput = z.object({ persona: PersonaIdSchema, text: z.string().trim().min(1).max(4000) });

/** The persona writes to the shop's bot or community; the connector picks it up by long polling. */
export function writeMessage(messenger: Messenger) {
	return defineAction({
		input: WriteInput,
		run({ platforms }, { persona, text }) {
			const who = personas[persona];
			if (messenger === 'telegram') customerPlayers.telegram(platforms, who).sendText(text);
			else if (messenger === 'vk') customerPlayers.vk(platforms, who).write(platforms.club.id, text);
			else customerPlayers.max(platforms, who).sendText(text);
			return { sent: true };
		},
	});
}
