import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	InvalidSessionTokenError,
	looksLikeSessionToken,
	SessionTokens,
} from '../../../../../connector-server/src/security/session-tokens.ts';

describe('session tokens', () => {
	const key = randomBytes(32);
	const claims = { tenantId: '01J00000000000000000000000', userId: '1', isAdmin: true, host: 'bitrix24' };

	it('round-trips, lasts 15 minutes, looks like a JWT', async () => {
		let now = Date.parse('2026-11-23T10:00:00Z');
		const tokens = new SessionTokens(key, () => now);
		const { token, expiresAt } = await tokens.issue(claims);
		expect(looksLikeSessionToken(token)).toBe(true);
		expect(looksLikeSessionToken('nk_01J00000000000000000000000_secret')).toBe(false);
		expect(expiresAt - now).toBe(15 * 60_000);
		expect(await tokens.verify(token)).toEqual(claims);
		now += 15 * 60_000 + 1_000;
		await expect(tokens.verify(token)).rejects.toThrow('session token expired');
	});

	it('rejects another key, a tampered payload and alg none', async () => {
		const tokens = new SessionTokens(key);
		const { token } = await tokens.issue(claims);
		await expect(new SessionTokens(randomBytes(32)).verify(token)).rejects.toBeInstanceOf(
			InvalidSessionTokenError,
		);
		const [header, payload, signature] = token.split('.');
		const forged = Buffer.from(
			JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), tid: 'other' }),
		).toString('base64url');
		await expect(tokens.verify(`${header}.${forged}.${signature}`)).rejects.toBeInstanceOf(
			InvalidSessionTokenError,
		);
		const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
		await expect(tokens.verify(none)).rejects.toBeInstanceOf(InvalidSessionTokenError);
	});
});
