import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey } from '../../../../connector-server/src/security/master-key.ts';
import { SecretBox } from '../../../../connector-server/src/security/secret-box.ts';

describe('SecretBox (AES-256-GCM)', () => {
	const box = new SecretBox(randomBytes(32));

	it('round-trips and never stores the plaintext', () => {
		const sealed = box.seal('123456:ABC-DEF', 'connection:1');
		expect(sealed).not.toContain('ABC-DEF');
		expect(box.open(sealed, 'connection:1')).toBe('123456:ABC-DEF');
	});

	it('refuses a ciphertext moved to another context or tampered with', () => {
		const sealed = box.seal('secret', 'connection:1');
		expect(() => box.open(sealed, 'connection:2')).toThrow();
		const parts = sealed.split('.');
		parts[3] = Buffer.from('tampered').toString('base64url');
		expect(() => box.open(parts.join('.'), 'connection:1')).toThrow();
	});

	it('refuses another key', () => {
		const sealed = box.seal('secret', 'c');
		expect(() => new SecretBox(randomBytes(32)).open(sealed, 'c')).toThrow();
	});
});

describe('loadMasterKey', () => {
	it('generates a key once with mode 0600 and reuses it', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'nitka-key-'));
		const first = loadMasterKey(dir, undefined);
		expect(first.file).toBeDefined();
		expect(statSync(first.file!).mode & 0o777).toBe(0o600);
		const second = loadMasterKey(dir, undefined);
		expect(second.key.equals(first.key)).toBe(true);
		expect(readFileSync(first.file!, 'utf8').trim()).toBe(first.key.toString('hex'));
	});

	it('prefers the configured key', () => {
		const hex = 'ab'.repeat(32);
		expect(loadMasterKey('/nonexistent', hex).key.toString('hex')).toBe(hex);
	});
});
