import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { TokenExpiredError, TokenInvalidError, TokenUsedError } from './errors.ts';

/**
 * Customer QR tokens (docs/counter.md): `nq1.<payload>.<signature>`, the payload base64url JSON
 * `{ t, c, k, r?, j, e }`, the signature HMAC-SHA256 over `nq1.<payload>` under a key derived
 * from the master key. Short-lived and single-use: the counter spends the `jti` when it
 * identifies by it, so a screenshot from last week and a replay are both refused.
 */

export const QR_PREFIX = 'nq1';
const HKDF_INFO = 'nitka counter qr v1';

/** Keys derived once from the master key; nothing else signs with them. */
export interface CounterKeys {
	readonly qr: Buffer;
}

export function deriveCounterKeys(masterKey: Buffer): CounterKeys {
	const qr = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), HKDF_INFO, 32));
	return { qr };
}

export const qrTokenKinds = ['card', 'return'] as const;
export type QrTokenKind = (typeof qrTokenKinds)[number];

/** A card token lives 120 s (the card page rotates it every 30 s). */
export const CARD_TOKEN_TTL_SECONDS = 120;

const PayloadSchema = z
	.object({
		t: z.string().min(1).max(100),
		c: z.string().min(1).max(100),
		k: z.enum(qrTokenKinds),
		r: z.string().min(1).max(100).optional(),
		j: z.string().min(16).max(64),
		e: z.number().int().positive(),
	})
	.strict();

export type QrTokenPayload = z.infer<typeof PayloadSchema>;

/** What a verified token says, in the server's terms. */
export interface QrTokenClaims {
	tenantId: string;
	customerId: string;
	kind: QrTokenKind;
	refId: string | undefined;
	jti: string;
	/** Epoch milliseconds. */
	expiresAt: number;
}

export interface IssueQrTokenInput {
	tenantId: string;
	customerId: string;
	kind: QrTokenKind;
	/** The return id for a `return` token. */
	refId?: string | undefined;
	ttlSeconds: number;
}

function sign(keys: CounterKeys, body: string): string {
	return createHmac('sha256', keys.qr).update(body, 'utf8').digest('base64url');
}

/** Encodes and signs a payload (exported for tests that need a token the issuer would not make). */
export function encodeQrToken(keys: CounterKeys, payload: QrTokenPayload): string {
	const body = `${QR_PREFIX}.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
	return `${body}.${sign(keys, body)}`;
}

/** Issues a signed token; `now` in epoch milliseconds. */
export function issueQrToken(
	keys: CounterKeys,
	input: IssueQrTokenInput,
	now: number,
): { token: string; expiresAt: number; jti: string } {
	if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds <= 0) {
		throw new RangeError('ttlSeconds must be a positive integer');
	}
	if (input.kind === 'return' && !input.refId) throw new RangeError('a return token needs the return id');
	const jti = randomBytes(16).toString('base64url');
	const e = Math.floor(now / 1000) + input.ttlSeconds;
	const payload: QrTokenPayload = {
		t: input.tenantId,
		c: input.customerId,
		k: input.kind,
		...(input.refId ? { r: input.refId } : {}),
		j: jti,
		e,
	};
	return { token: encodeQrToken(keys, payload), expiresAt: e * 1000, jti };
}

/** Cheap shape check: does this string look like one of our QR tokens? */
export function looksLikeQrToken(value: string): boolean {
	return value.startsWith(`${QR_PREFIX}.`);
}

/**
 * Checks the signature and expiry without touching storage. Throws TokenInvalidError for anything
 * malformed or forged, TokenExpiredError once past its expiry (the signature is checked first, so
 * "expired" is never said about a forgery).
 */
export function verifyQrToken(keys: CounterKeys, token: string, now: number): QrTokenClaims {
	const parts = token.trim().split('.');
	if (parts.length !== 3 || parts[0] !== QR_PREFIX || !parts[1] || !parts[2]) {
		throw new TokenInvalidError();
	}
	const [, payloadPart, signaturePart] = parts as [string, string, string];
	const expected = Buffer.from(sign(keys, `${QR_PREFIX}.${payloadPart}`), 'base64url');
	const presented = Buffer.from(signaturePart, 'base64url');
	if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
		throw new TokenInvalidError();
	}
	let json: unknown;
	try {
		json = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
	} catch {
		throw new TokenInvalidError();
	}
	const parsed = PayloadSchema.safeParse(json);
	if (!parsed.success) throw new TokenInvalidError();
	const payload = parsed.data;
	if (payload.k === 'return' && !payload.r) throw new TokenInvalidError();
	const expiresAt = payload.e * 1000;
	if (now >= expiresAt) throw new TokenExpiredError();
	return {
		tenantId: payload.t,
		customerId: payload.c,
		kind: payload.k,
		refId: payload.r,
		jti: payload.j,
		expiresAt,
	};
}

/**
 * Verifies a token for one tenant and spends it: its `jti` goes into `counter_token_uses` in the
 * caller's transaction, so a second use (a replay, a screenshot) is refused with 409 even when two
 * counters scan it at the same moment. Another tenant's token is `token-invalid`, as if forged.
 */
export async function spendQrToken(
	tx: Db,
	keys: CounterKeys,
	input: { token: string; tenantId: string; deviceId?: string | undefined; kind?: QrTokenKind | undefined },
	now: number,
): Promise<QrTokenClaims> {
	const claims = verifyQrToken(keys, input.token, now);
	if (claims.tenantId !== input.tenantId) throw new TokenInvalidError();
	if (input.kind && claims.kind !== input.kind) {
		throw new TokenInvalidError(`this QR code is not a ${input.kind} code`);
	}
	const inserted = await tx
		.insertInto('counter_token_uses')
		.values({
			tenant_id: input.tenantId,
			jti: claims.jti,
			kind: claims.kind,
			device_id: input.deviceId ?? null,
			used_at: now,
			expires_at: claims.expiresAt,
		})
		.onConflict((oc) => oc.columns(['tenant_id', 'jti']).doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new TokenUsedError();
	return claims;
}

/** Forgets spent tokens past their expiry (an expired token is refused before its jti is looked up). */
export async function sweepTokenUses(db: Db, now: number): Promise<number> {
	const result = await db.deleteFrom('counter_token_uses').where('expires_at', '<', now).executeTakeFirst();
	return Number(result.numDeletedRows ?? 0n);
}
