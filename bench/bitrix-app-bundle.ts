import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('../bitrix-app/', import.meta.url));
const GOAL_KB = 150;

/** Builds bitrix-app and prints the gzipped size of what the browser loads (JS + CSS). */
export async function bitrixAppBundleBenchmark(): Promise<void> {
	await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
	const assets = path.join(root, 'dist', 'assets');
	let total = 0;
	for (const name of (await readdir(assets)).sort()) {
		if (!/\.(js|css)$/.test(name)) continue;
		const raw = await readFile(path.join(assets, name));
		const gzipped = gzipSync(raw, { level: 9 }).length;
		total += gzipped;
		console.log(
			`${name.padEnd(32)} ${(raw.length / 1024).toFixed(1).padStart(8)} KB raw ${(gzipped / 1024).toFixed(1).padStart(7)} KB gzipped`,
		);
	}
	console.log(`bitrix-app-bundle: ${(total / 1024).toFixed(1)} KB (goal ≤ ${GOAL_KB} KB gzipped)`);
}
