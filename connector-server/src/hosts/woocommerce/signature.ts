import { createHash, createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../../security/tokens.ts';

/**
 * Request signatures shared with the plugin (wp-plugin/includes/Connector/Signer.php), the same
 * in both directions:
 *
 *   v1=hex(HMAC-SHA256(secret, "v1\n" + METHOD + "\n" + PATH + "\n" + TIMESTAMP + "\n" + NONCE + "\n" + hex(SHA256(body))))
 *
 * PATH is the request path with its query for calls to the connector, and the REST route
 * (e.g. /nitka/v1/connector/ping) for calls to the plugin.
 */
export const SIGNATURE_WINDOW_SECONDS = 300;

export const signatureHeaders = {
	site: 'x-nitka-site',
	timestamp: 'x-nitka-timestamp',
	nonce: 'x-nitka-nonce',
	signature: 'x-nitka-signature',
} as const;

export interface SignatureInput {
	method: string;
	path: string;
	timestamp: number;
	nonce: string;
	body: string;
}

export function sign(secret: string, input: SignatureInput): string {
	const canonical = [
		'v1',
		input.method.toUpperCase(),
		input.path,
		String(input.timestamp),
		input.nonce,
		createHash('sha256').update(input.body, 'utf8').digest('hex'),
	].join('\n');
	return `v1=${createHmac('sha256', secret).update(canonical, 'utf8').digest('hex')}`;
}

/** Headers for a signed request from the connector to a plugin. */
export function signedHeaders(
	siteId: string,
	secret: string,
	input: Omit<SignatureInput, 'timestamp' | 'nonce'>,
	nowMs: number,
): Record<string, string> {
	const timestamp = Math.floor(nowMs / 1000);
	const nonce = randomBytes(16).toString('base64url');
	return {
		'X-Nitka-Site': siteId,
		'X-Nitka-Timestamp': String(timestamp),
		'X-Nitka-Nonce': nonce,
		'X-Nitka-Signature': sign(secret, { ...input, timestamp, nonce }),
	};
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/** Checks the signature in constant time and the timestamp against the replay window (nonces: the caller). */
export function verify(
	secret: string,
	input: Omit<SignatureInput, 'timestamp'> & { timestamp: string },
	signature: string,
	nowMs: number,
): SignatureVerdict {
	if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: 'missing timestamp' };
	const timestamp = Number(input.timestamp);
	if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_WINDOW_SECONDS) {
		return { ok: false, reason: 'timestamp outside the replay window' };
	}
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(input.nonce)) return { ok: false, reason: 'missing or malformed nonce' };
	const expected = sign(secret, { ...input, timestamp });
	return safeEqual(expected, signature) ? { ok: true } : { ok: false, reason: 'bad signature' };
}
