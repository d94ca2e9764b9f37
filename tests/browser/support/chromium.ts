import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`); playwright downloads no browser here. */
export const chromiumPath = '/usr/bin/chromium';

// Headless, sandbox-free (we run as root in a container) and silent on the network: no QUIC,
// no component updates, sync or background fetches, so only loopback is ever contacted.
export const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
] as const;

/** Launches the system Chromium with the project's flags. Close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
}

/** tests/artifacts/ (git-ignored): where browser tests leave screenshots. */
export const artifactsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts');

/** Saves a full-page PNG as tests/artifacts/{name}.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
	await mkdir(artifactsDir, { recursive: true });
	const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}
