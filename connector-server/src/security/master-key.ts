import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The master key: from configuration when given, otherwise generated once into
 * `<dataDir>/master.key` with mode 0600 and reused on every start. Losing it makes stored
 * secrets unreadable, so it is never regenerated over an existing file.
 */
export function loadMasterKey(
	dataDir: string,
	configuredHex: string | undefined,
): { key: Buffer; file?: string } {
	if (configuredHex) return { key: Buffer.from(configuredHex, 'hex') };
	const file = path.join(dataDir, 'master.key');
	try {
		const hex = readFileSync(file, 'utf8').trim();
		if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} is not 64 hex characters`);
		if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
		return { key: Buffer.from(hex, 'hex'), file };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const key = randomBytes(32);
	// 'wx' fails if another process created it meanwhile, instead of overwriting its key.
	writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
	return { key, file };
}
