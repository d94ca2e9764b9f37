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
