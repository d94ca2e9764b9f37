import type { CounterIdentifyRequest } from '@nitka/shared';

/**
 * A keyboard-wedge scanner types key presses, and the tablet's layout decides what they become: on
 * the Russian layout `nq1.` arrives as `тй1ю`, and with Caps Lock on as `NQ1.`. A QR token only
 * holds Latin letters, digits, `.`, `-` and `_`, so such a token is put back by key position.
 */
const RU_KEYS = 'йцукенгшщзфывапролдячсмить';
const EN_KEYS = 'qwertyuiopasdfghjklzxcvbnm';
const ruToEn = new Map<string, string>();
for (let i = 0; i < RU_KEYS.length; i += 1) {
	ruToEn.set(RU_KEYS[i]!, EN_KEYS[i]!);
	ruToEn.set(RU_KEYS[i]!.toUpperCase(), EN_KEYS[i]!.toUpperCase());
}
ruToEn.set('ю', '.');
ruToEn.set('Ю', '.');

const swapCase = (value: string) =>
	value.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

/** A scanned QR token as it was printed, whatever the keyboard layout and Caps Lock did to it. */
export function normalizeScanned(raw: string): string {
	let value = raw.trim();
	if (/^[тТ][йЙ]1[юЮ.]/.test(value)) value = [...value].map((c) => ruToEn.get(c) ?? c).join('');
	if (value.startsWith('NQ1.')) value = swapCase(value);
	return value;
}

/** A scanned or typed value → the identify request it means. */
export function identifyRequestFor(raw: string): CounterIdentifyRequest | null {
	const value = normalizeScanned(raw);
	if (!value) return null;
	if (/^nq1\./.test(value)) return { qr: value };
	const compact = value.replace(/[\s()-]/g, '');
	// A loyalty card: the in-store EAN-13 (13 digits). Phones are 10–12 digits, or start with +.
	if (/^\d{13}$/.test(compact)) return { loyalty: compact };
	if (/^\+?\d{5,15}$/.test(compact)) return { phone: value };
	// Anything else is a code someone scanned: the server says whether it is ours.
	return { qr: value };
}
