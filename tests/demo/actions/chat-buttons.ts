import type { Persona } from '../personas.ts';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';
import { customerPlayers } from './customer-players.ts';

type VkAction = { type?: string; label?: string; payload?: string; link?: string };

/** Nitka's own VK button payloads carry its data under one key (`{"nitka":"promo:consent"}`). */
function vkData(payload: string | undefined): string | undefined {
	if (!payload) return undefined;
	try {
		const parsed = JSON.parse(payload) as { nitka?: unknown };
		return typeof parsed.nitka === 'string' ? parsed.nitka : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The persona presses a button of the newest shop message that offers it (Telegram: an inline
 * callback button; VK: a callback or text button of the message's keyboard), as they would in the
 * app. False when no message they received has it.
 */
export function pressNewestButton(
	platforms: DemoPlatforms,
	persona: Persona,
	messenger: 'telegram' | 'vk',
	data: string,
): boolean {
	if (messenger === 'telegram') {
		const user = customerPlayers.telegram(platforms, persona);
		const message = [...user.received]
			.reverse()
			.find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.callback_data === data));
		if (!message) return false;
		user.pressButton(message.message_id, data);
		return true;
	}
	for (const message of [...platforms.club.sentTo(persona.vk.id)].reverse()) {
		const rows = (message.keyboard as { buttons?: { action?: VkAction }[][] } | undefined)?.buttons ?? [];
		const action = rows
			.flat()
			.map((b) => b.action)
			.find((a) => vkData(a?.payload) === data);
		if (!action?.payload) continue;
		const user = customerPlayers.vk(platforms, persona);
		if (action.type === 'callback')
			user.pressButton(platforms.club.id, { payload: JSON.parse(action.payload) });
		else user.write(platforms.club.id, { text: action.label ?? '', payload: action.payload });
		return true;
	}
	return false;
}

const CARD_LINK = /https?:\/\/[^\s"'\\]+\/card\/nc1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/g;
const RETURN_LINK = /https?:\/\/[^\s"'\\]+\/returns\/nq1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/g;

/** The newest card link ("Открыть карту") the shop sent the persona in any messenger. */
export function newestCardLink(platforms: DemoPlatforms, persona: Persona): string | undefined {
	return newestLink(platforms, persona, CARD_LINK);
}

/** The newest return QR link (journey 3: sent once the return is approved). */
export function newestReturnLink(platforms: DemoPlatforms, persona: Persona): string | undefined {
	return newestLink(platforms, persona, RETURN_LINK);
}

function newestLink(platforms: DemoPlatforms, persona: Persona, pattern: RegExp): string | undefined {
	const found: { url: string; at: number }[] = [];
	const collect = (message: unknown, at: number) => {
		for (const url of JSON.stringify(message).match(pattern) ?? []) found.push({ url, at });
	};
	for (const [i, m] of customerPlayers.telegram(platforms, persona).received.entries())
		collect(m, m.date * 1000 + i);
	for (const [i, m] of platforms.club.sentTo(persona.vk.id).entries()) collect(m, m.date * 1000 + i);
	for (const [i, m] of customerPlayers.max(platforms, persona).received.entries())
		collect(m, m.timestamp + i);
	return found.sort((a, b) => a.at - b.at).at(-1)?.url;
}
