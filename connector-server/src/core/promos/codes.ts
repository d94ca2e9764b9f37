import { randomInt } from 'node:crypto';
import { PROMO_CODE_ALPHABET } from '@nitka/shared';

/**
 * A personal code: the campaign's prefix and `length` characters drawn uniformly (CSPRNG) from an
 * alphabet without look-alikes (0/O, 1/I/L). Upper case, no separators: what staff type at a till.
 */
export function newPromoCode(prefix: string, length: number): string {
	let code = prefix;
	for (let i = 0; i < length; i += 1) code += PROMO_CODE_ALPHABET[randomInt(PROMO_CODE_ALPHABET.length)];
	return code;
}

/**
 * Cyrillic letters that look like Latin ones on a keyboard or a screen (upper case after
 * `toUpperCase`): staff on the Russian layout type «КОД2025» for KOD2025 and cannot tell.
 * Cyrillic «З» stands for the digit 3 (the alphabet has no Z look-alike for it).
 */
const CYRILLIC_LOOKALIKES: Readonly<Record<string, string>> = {
	А: 'A',
	В: 'B',
	Е: 'E',
	Ё: 'E',
	З: '3',
	К: 'K',
	М: 'M',
	Н: 'H',
	О: 'O',
	Р: 'P',
	С: 'C',
	Т: 'T',
	У: 'Y',
	Х: 'X',
};

/** Spaces (any), and dashes or underscores people put in to read a code aloud. */
const SEPARATORS = /[\s\u00a0\u2000-\u200b\u202f\u3000\-\u2010-\u2015\u2212_]+/gu;

/**
 * What staff typed or read out → the code as issued: separators dropped, upper case, and, when the
 * codes' alphabet is Latin (Nitka's always is), Cyrillic look-alike letters made Latin.
 * `" vk-абс 234 "` → `VKABC234`. Pure; the counter looks a code up by this and by the text as typed.
 */
export function normalisePromoCode(typed: string, alphabet: string = PROMO_CODE_ALPHABET): string {
	const compact = typed.replace(SEPARATORS, '').toUpperCase();
	if (!/^[A-Z0-9]+$/.test(alphabet)) return compact;
	return [...compact].map((ch) => CYRILLIC_LOOKALIKES[ch] ?? ch).join('');
}
