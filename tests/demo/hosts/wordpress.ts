import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// tests/wordpress/setup.sh leaves the running site's address and its admin's Application Password here.
const stateFile = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'wordpress',
	'.run',
	'state.json',
);
const StateSchema = z.looseObject({ url: z.url(), admin: z.string(), applicationPassword: z.string() });
const CodeSchema = z.object({ code: z.string().min(1) });
const StatusSchema = z.looseObject({
	paired: z.boolean(),
	pairing: z.looseObject({ url: z.string(), tenantId: z.string() }).nullable(),
});

/** The WordPress the demo shows: its address, and whether the demo paired it with this run's connector. */
export interface DemoWordPress {
	url: string;
	/** The WooCommerce tenant the pairing landed on; null when the demo could not pair it. */
	tenantId: string | null;
	/** Why not, when it could not. */
	problem: string | null;
}

const trim = (url: string) => url.replace(/\/+$/, '');

async function responds(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
		await response.body?.cancel();
		return response.status < 500;
	} catch {
		return false;
	}
}

/**
 * Pairs the site with the connector as its admin would on the Nitka settings screen, through the
 * plugin's REST API: a local pairing code (no API key: the connector runs on this machine), then the
 * pairing. Each run, because the connector's port changes; the site keeps its tenant (one per site).
 */
async function pair(site: string, auth: string, connectorUrl: string): Promise<string> {
	const call = async <T extends z.ZodType>(route: string, schema: T, body: unknown): Promise<z.infer<T>> => {
		const response = await fetch(`${site}/wp-json/nitka/v1${route}`, {
			method: 'POST',
			headers: { authorization: auth, 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(20_000),
		});
		if (!response.ok) throw new Error(`the plugin answered ${response.status} to ${route}`);
		return schema.parse(await response.json());
	};
	const { code } = await call('/local-code', CodeSchema, { url: connectorUrl });
	const status = await call('/pair', StatusSchema, { url: connectorUrl, code });
	if (!status.paired || !status.pairing) throw new Error('the plugin did not pair');
	return status.pairing.tenantId;
}

/**
 * The WordPress to show, if one runs: DEMO_WORDPRESS_URL, else the site tests/wordpress/setup.sh
 * brought up; null when none responds, so the page never links to a dead site. The harness's site
 * (whose admin credentials the harness keeps) is paired with the connector; another is shown as is.
 */
export async function connectWordPress(
	configured: string | undefined,
	connectorUrl: string,
): Promise<DemoWordPress | null> {
	const state = StateSchema.safeParse(await readFile(stateFile, 'utf8').then(JSON.parse, () => null));
	const harness = state.success ? state.data : null;
	const url = trim(configured ?? harness?.url ?? '');
	if (!url || !(await responds(url))) return null;
	if (!harness || trim(harness.url) !== url)
		return { url, tenantId: null, problem: 'not the harness site: pair it in its Nitka settings' };
	const auth = `Basic ${Buffer.from(`${harness.admin}:${harness.applicationPassword}`).toString('base64')}`;
	try {
		return { url, tenantId: await pair(url, auth, connectorUrl), problem: null };
	} catch (error) {
		return { url, tenantId: null, problem: (error as Error).message };
	}
}
