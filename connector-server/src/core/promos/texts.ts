import type { DataButton, OutboundButton } from '../ports/channel-client.ts';

/** What the bot says in the promo journey (Russian: the shops' customers'). */

const dateFormat = new Intl.DateTimeFormat('ru-RU', {
	timeZone: 'Europe/Moscow',
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
});

/** The button data of the promo journey (≤ 64 chars of [A-Za-z0-9:_-], every platform's). */
export const PROMO_BUTTON = { get: 'promo:get', consent: 'promo:consent', stop: 'promo:stop' } as const;

export const CONSENT_BUTTON: OutboundButton = {
	text: 'Согласен получать предложения',
	data: PROMO_BUTTON.consent,
};
export const STOP_BUTTON: OutboundButton = { text: 'Отписаться от предложений', data: PROMO_BUTTON.stop };
/** For a chat's menu (VK's keyboard under the input field): asks for the customer's code. */
export const PROMO_MENU_BUTTON: DataButton = { text: 'Промокод', data: PROMO_BUTTON.get };

/** Recorded with `consent.given` from the button, so the timeline says what was agreed to. */
export const CONSENT_TEXT =
	'Согласие получать персональные предложения и промокоды магазина в этом чате; отозвать — кнопкой «Отписаться от предложений» или словом «отписаться».';

export const ASK_CONSENT_TEXT =
	'Промокоды мы присылаем только тем, кто согласился получать наши предложения. Нажмите «Согласен получать предложения» — и код придёт сюда же. Отписаться можно в любой момент.';

export const NO_CAMPAIGN_TEXT =
	'Спасибо! Сейчас действующих акций нет — как только появится предложение, пришлём ваш персональный промокод сюда.';

export const STOPPED_TEXT =
	'Готово: больше не будем присылать предложения. Передумаете — напишите «промокод».';

const until = (expiresAt: number | null) =>
	expiresAt === null ? '' : `\nДействует до ${dateFormat.format(new Date(expiresAt))} включительно.`;

/** The message that carries a personal code. */
export function codeText(offer: string | null, code: string, expiresAt: number | null): string {
	return `${offer ? `${offer}\n\n` : ''}Ваш персональный промокод: ${code}${until(expiresAt)}\nНазовите или покажите его на кассе — код одноразовый.`;
}

/** The personal thank-you after a redemption, with the follow-up text and the next code if any. */
export function thankYouText(input: {
	firstName: string | null;
	locationName: string | null;
	followUp: string | null;
	next: { offer: string | null; code: string; expiresAt: number | null } | null;
}): string {
	const hello = input.firstName ? `${input.firstName}, спасибо` : 'Спасибо';
	const where = input.locationName ? ` в «${input.locationName}»` : '';
	const parts = [`${hello}, что заглянули к нам${where}! Рады, что промокод пригодился.`];
	if (input.followUp) parts.push(input.followUp);
	if (input.next) {
		parts.push(
			`${input.next.offer ? `${input.next.offer}\n` : ''}Ваш следующий промокод: ${input.next.code}${until(input.next.expiresAt)}`,
		);
	}
	return parts.join('\n\n');
}

const ASK = /промо-?код|\bpromo(?:\s?code)?\b/iu;
const CONSENT = /^\s*(?:я\s+)?(?:согласен|согласна)(?:\s+получать\s+предложения)?\s*[.!]?\s*$/iu;
const STOP = /^\s*(?:отписаться(?:\s+от\s+предложений)?|unsubscribe|stop promo)\s*[.!]?\s*$/iu;

/** What a customer's message asks of the promo journey, if anything. */
export function promoIntent(data: {
	text?: string | undefined;
	buttonData?: string | undefined;
	editOf?: string | undefined;
}): 'get' | 'consent' | 'stop' | null {
	if (data.editOf) return null;
	if (data.buttonData !== undefined) {
		if (data.buttonData === PROMO_BUTTON.get) return 'get';
		if (data.buttonData === PROMO_BUTTON.consent) return 'consent';
		if (data.buttonData === PROMO_BUTTON.stop) return 'stop';
		// Another feature's button (its label may come along as text): not ours.
		return null;
	}
	const text = data.text ?? '';
	if (STOP.test(text)) return 'stop';
	if (CONSENT.test(text)) return 'consent';
	if (ASK.test(text)) return 'get';
	return null;
}
