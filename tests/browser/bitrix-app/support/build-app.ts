import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** bitrix-app/ in this repository. */
export const bitrixAppRoot = fileURLToPath(new URL('../../../../bitrix-app/', import.meta.url));
export const bitrixAppDist = `${bitrixAppRoot}dist`;

/** Builds the real app with its own vite config, as the connector will serve it. */
export async function buildBitrixApp(): Promise<string> {
	await build({ root: bitrixAppRoot, configFile: `${bitrixAppRoot}vite.config.ts`, logLevel: 'warn' });
	return bitrixAppDist;
}
