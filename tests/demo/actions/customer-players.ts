import type { MaxUserPlayer } from '../../emulators/max/index.ts';
import type { TelegramUser } from '../../emulators/telegram/index.ts';
import type { VkUser } from '../../emulators/vk/index.ts';
import type { Persona } from '../personas.ts';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';

/** A persona's account on each messenger, played through the emulators' user helpers. */
export const customerPlayers = {
	telegram: (platforms: DemoPlatforms, persona: Persona): TelegramUser =>
		platforms.telegram.user(persona.telegram),
	vk: (platforms: DemoPlatforms, persona: Persona): VkUser => platforms.vk.createUser(persona.vk),
	max: (platforms: DemoPlatforms, persona: Persona): MaxUserPlayer => platforms.max.user(persona.max),
};

/** The shop's messages the persona has received on each messenger, oldest first. */
export function receivedBy(platforms: DemoPlatforms, persona: Persona) {
	const tg = customerPlayers.telegram(platforms, persona);
	const max = customerPlayers.max(platforms, persona);
	return {
		telegram: tg.received.map((m) => ({ text: m.text ?? m.caption ?? '', at: m.date * 1000 })),
		vk: platforms.club.sentTo(persona.vk.id).map((m) => ({ text: m.text, at: m.date * 1000 })),
		max: max.received.map((m) => ({ text: m.body.text ?? '', at: m.timestamp })),
	};
}
