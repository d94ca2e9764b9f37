import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
// NITKA_WP_RUN (as setup.sh reads it) gives a test run its own WordPress: its own folder, database and port.
const statePath = () => join(process.env.NITKA_WP_RUN ?? join(here, '.run'), 'state.json');

export interface WordPressHarness {
	url: string;
	wpDir: string;
	admin: string;
	adminPassword: string;
	applicationPassword: string;
	wordpress: string;
	php: string;
}

/**
 * Brings the test WordPress up (tests/wordpress/setup.sh: Debian packages when missing, private
 * MariaDB, WordPress 6.5, plugin + WooCommerce stand-in, php -S) and returns its state.
 * Returns in well under a second when everything is already up.
 */
export async function ensureWordPress(): Promise<WordPressHarness> {
	await run('bash', [join(here, 'setup.sh')], { timeout: 300_000, maxBuffer: 8 << 20 });
	return JSON.parse(readFileSync(statePath(), 'utf8')) as WordPressHarness;
}

/** Runs a tests/wordpress/php/shop.php command inside WordPress and returns its JSON answer. */
export async function shop<T = Record<string, unknown>>(command: string, args: unknown = {}): Promise<T> {
	const { stdout } = await run(
		'php',
		[join(here, 'php', 'shop.php'), statePath(), command, JSON.stringify(args)],
		{
			timeout: 60_000,
		},
	);
	return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as T;
}

/** Runs the PHP unit tests (Debian's phpunit 9) against the running WordPress. */
export async function phpunit(): Promise<string> {
	const { stdout } = await run('phpunit', ['-c', join(here, 'phpunit', 'phpunit.xml')], {
		timeout: 120_000,
		env: { ...process.env, NITKA_WP_STATE: statePath() },
	});
	return stdout;
}

/** Basic auth header for the admin's Application Password (REST round trips). */
export function applicationAuth(state: WordPressHarness): string {
	return `Basic ${Buffer.from(`${state.admin}:${state.applicationPassword}`).toString('base64')}`;
}
