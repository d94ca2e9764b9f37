import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret, url-safe. */
export function randomToken(bytes = 24): string {
	return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time string comparison; different lengths compare unequal without leaking where. */
export function safeEqual(a: string, b: string): boolean {
	const left = createHash('sha256').update(a).digest();
	const right = createHash('sha256').update(b).digest();
	return timingSafeEqual(left, right) && a.length === b.length;
}
