import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The customer's card link (docs/counter.md, "The customer's card"): `/card/<access>`, where
 * `access` is `nc1.<payload>.<signature>`, the payload base64url JSON `{ t: tenantId, c: customerId,
 * e: expiresAtSeconds }`, signed with HMAC-SHA256 under a key derived (HKDF) from the master key
 * with its own info string, so a card link can never pass for a counter QR token or the reverse.
 * It shows the card and nothing else; it lives 30 days, after which the bot gives a new one.
 */

export const CARD_ACCESS_PREFIX = 'nc1';
const HKDF_INFO = 'nitka card access v1';
export const CARD_ACCESS_TTL_SECONDS = 30 * 24 * 3600;

export function deriveCardAccessKey(masterKey: Buffer): Buffer {
	return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), HKDF_INFO, 32));
}

const PayloadSchema = z
	.object({
		t: z.string().min(1).max(100),
		c: z.string().min(1).max(100),
		e: z.number().int().positive(),
	})
	.strict();

export interface CardAccess {
	tenantId: string;
	customerId: string;
	/** Epoch milliseconds. */
	expiresAt: number;
}

/** A forged, malformed or foreign link: the page answers 404. */
export class CardAccessInvalidError extends Error {
	override readonly name = 'CardAccessInvalidError';
}

/** A genuine link past its 30 days: the page answers 410 and says how to get a new one. */
export class CardAccessExpiredError extends Error {
	override readonly name = 'CardAccessExpiredError';
}

const sign = (key: Buffer, body: string) =>
	createHmac('sha256', key).update(body, 'utf8').digest('base64url');

/** Signs a card link for one customer; `now` in epoch milliseconds. */
export function issueCardAccess(
	key: Buffer,
	input: { tenantId: string; customerId: string; ttlSeconds?: number },
	now: number,
): { access: string; expiresAt: number } {
	const e = Math.floor(now / 1000) + (input.ttlSeconds ?? CARD_ACCESS_TTL_SECONDS);
	const payload = { t: input.tenantId, c: input.customerId, e };
	const body = `${CARD_ACCESS_PREFIX}.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
	return { access: `${body}.${sign(key, body)}`, expiresAt: e * 1000 };
}

/** Checks the signature first, then the expiry (an expired forgery is "invalid", never "expired"). */
export function verifyCardAccess(key: Buffer, access: string, now: number): CardAccess {
	const parts = access.split('.');
	if (parts.length !== 3 || parts[0] !== CARD_ACCESS_PREFIX || !parts[1] || !parts[2]) {
		throw new CardAccessInvalidError();
	}
	const [, payloadPart, signaturePart] = parts as [string, string, string];
	const expected = Buffer.from(sign(key, `${CARD_ACCESS_PREFIX}.${payloadPart}`), 'base64url');
	const presented = Buffer.from(signaturePart, 'base64url');
	if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
		throw new CardAccessInvalidError();
	}
	let json: unknown;
	try {
		json = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
	} catch {
		throw new CardAccessInvalidError();
	}
	const parsed = PayloadSchema.safeParse(json);
	if (!parsed.success) throw new CardAccessInvalidError();
	const expiresAt = parsed.data.e * 1000;
	if (now >= expiresAt) throw new CardAccessExpiredError();
	return { tenantId: parsed.data.t, customerId: parsed.data.c, expiresAt };
}
