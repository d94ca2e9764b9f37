import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Path of b24jssdk's browser build (UMD, global `B24Js`, its dependencies bundled) inside
 * node_modules, or undefined when the package is not installed. Served, never copied.
 */
export function findB24JsSdkBundle(): string | undefined {
	try {
		const manifest = createRequire(import.meta.url).resolve('@bitrix24/b24jssdk/package.json');
		const bundle = join(dirname(manifest), 'dist', 'umd', 'index.min.js');
		return existsSync(bundle) ? bundle : undefined;
	} catch {
		return undefined;
	}
}
