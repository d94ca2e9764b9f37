import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	TokenExpiredError,
	TokenInvalidError,
} from '../../../../../connector-server/src/core/counter/errors.ts';
import {
	deriveCounterKeys,
	encodeQrToken,
	issueQrToken,
	looksLikeQrToken,
	verifyQrToken,
} from '../../../../../connector-server/src/core/counter/qr-tokens.ts';

const keys = deriveCounterKeys(Buffer.alloc(32, 7));
const NOW = Date.parse('2026-11-23T10:00:00Z');
const TENANT = '01JDEMO0000000000000000000';
const CUSTOMER = '01JCUST0000000000000000000';

describe('counter QR tokens', () => {
	it('round-trips a card token: nq1.<payload>.<signature>, claims as issued', () => {
		const { token, expiresAt, jti } = issueQrToken(
			keys,
			{ tenantId: TENANT, customerId: CUSTOMER, kind: 'card', ttlSeconds: 120 },
			NOW,
		);
		expect(token).toMatch(/^nq1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
		expect(looksLikeQrToken(token)).toBe(true);
		expect(expiresAt).toBe(Math.floor(NOW / 1000) * 1000 + 120_000);
		const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
		expect(payload).toEqual({ t: TENANT, c: CUSTOMER, k: 'card', j: jti, e: expiresAt / 1000 });
		expect(verifyQrToken(keys, token, NOW + 119_000)).toEqual({
			tenantId: TENANT,
			customerId: CUSTOMER,
			kind: 'card',
			refId: undefined,
			jti,
			expiresAt,
		});
	});

	it('says expired once its lifetime is over (a screenshot from last week)', () => {
		const { token } = issueQrToken(
			keys,
			{ tenantId: TENANT, customerId: CUSTOMER, kind: 'card', ttlSeconds: 120 },
			NOW,
		);
		expect(() => verifyQrToken(keys, token, NOW + 120_000)).toThrow(TokenExpiredError);
		expect(() => verifyQrToken(keys, token, NOW + 7 * 86_400_000)).toThrow(TokenExpiredError);
	});

	it('carries the return id of a return token', () => {
		const { token } = issueQrToken(
			keys,
			{ tenantId: TENANT, customerId: CUSTOMER, kind: 'return', refId: 'R1', ttlSeconds: 86_400 },
			NOW,
		);
		expect(verifyQrToken(keys, token, NOW).refId).toBe('R1');
		expect(() =>
			issueQrToken(keys, { tenantId: TENANT, customerId: CUSTOMER, kind: 'return', ttlSeconds: 60 }, NOW),
		).toThrow(RangeError);
	});

	it('refuses a token signed under another master key, even an expired one, as invalid', () => {
		const other = deriveCounterKeys(randomBytes(32));
		const { token } = issueQrToken(
			other,
			{ tenantId: TENANT, customerId: CUSTOMER, kind: 'card', ttlSeconds: 1 },
			NOW,
		);
		expect(() => verifyQrToken(keys, token, NOW)).toThrow(TokenInvalidError);
		expect(() => verifyQrToken(keys, token, NOW + 3_600_000)).toThrow(TokenInvalidError);
	});

	it('refuses any change to the payload or the signature', () => {
		const { token } = issueQrToken(
			keys,
			{ tenantId: TENANT, customerId: CUSTOMER, kind: 'card', ttlSeconds: 120 },
			NOW,
		);
		const [prefix, payload, signature] = token.split('.') as [string, string, string];
		const changed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		changed.c = '01JOTHER000000000000000000';
		const forged = `${prefix}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
		expect(() => verifyQrToken(keys, forged, NOW)).toThrow(TokenInvalidError);
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: token.length - 1 }),
				fc.string({ minLength: 1, maxLength: 1 }),
				(i, c) => {
					const mutated = token.slice(0, i) + c + token.slice(i + 1);
					fc.pre(mutated !== token);
					// base64url decoding ignores a few trailing bits; every other change must fail.
					try {
						const claims = verifyQrToken(keys, mutated, NOW);
						expect(claims.jti).toBeDefined();
						expect(mutated.split('.').length).toBe(3);
					} catch (error) {
						expect(error).toBeInstanceOf(TokenInvalidError);
					}
				},
			),
		);
	});

	it('refuses garbage of any shape as invalid, never with another error', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 300 }), (garbage) => {
				expect(() => verifyQrToken(keys, garbage, NOW)).toThrow(TokenInvalidError);
			}),
		);
		expect(() => verifyQrToken(keys, 'nq1..', NOW)).toThrow(TokenInvalidError);
		expect(() => verifyQrToken(keys, 'nq2.e30.abc', NOW)).toThrow(TokenInvalidError);
	});

	it('refuses a well-signed payload of the wrong shape', () => {
		const bad = encodeQrToken(keys, {
			t: TENANT,
			c: CUSTOMER,
			k: 'return',
			j: 'x'.repeat(22),
			e: NOW / 1000 + 60,
		});
		expect(() => verifyQrToken(keys, bad, NOW)).toThrow(TokenInvalidError);
	});

	it('derives the key from the master key: same master, same key; different master, different key', () => {
		expect(deriveCounterKeys(Buffer.alloc(32, 7)).qr.equals(keys.qr)).toBe(true);
		expect(deriveCounterKeys(Buffer.alloc(32, 8)).qr.equals(keys.qr)).toBe(false);
		// Not the master key itself.
		expect(keys.qr.equals(Buffer.alloc(32, 7))).toBe(false);
	});
});
