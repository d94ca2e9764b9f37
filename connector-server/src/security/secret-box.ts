import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (bot tokens, OAuth tokens, marketplace keys).
 * Format: `v1.<iv>.<tag>.<ciphertext>` in base64url, so a future key rotation can add `v2`.
 * `context` (e.g. the tenant and connection id) is bound as associated data: a ciphertext copied
 * to another row does not decrypt.
 */
export class SecretBox {
	readonly #key: Buffer;

	constructor(key: Buffer) {
		if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
		this.#key = key;
	}

	seal(plaintext: string, context: string): string {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
		cipher.setAAD(Buffer.from(context, 'utf8'));
		const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
		return [
			'v1',
			iv.toString('base64url'),
			cipher.getAuthTag().toString('base64url'),
			body.toString('base64url'),
		].join('.');
	}

	open(sealed: string, context: string): string {
		const [version, iv, tag, body] = sealed.split('.');
		if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
		const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
		decipher.setAAD(Buffer.from(context, 'utf8'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
			'utf8',
		);
	}
}
