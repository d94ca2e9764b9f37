import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from '../../../connector-server/src/db/database.ts';
import { createWooCommerceSites } from '../../../connector-server/src/http/routes/woocommerce-sites.ts';
import type { SecretBox } from '../../../connector-server/src/security/secret-box.ts';

// tests/wordpress/setup.sh leaves the running site's address and its admin's Application Password in
// its run folder: NITKA_WP_RUN when set (as setup.sh and tests/wordpress/harness.ts read it), else .run.
const runDir = () =>
	process.env.NITKA_WP_RUN ??
	path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'wordpress', '.run');

/**
 * Whether the harness's own `php -S` still runs. Every run folder defaults to port 8091, so when this
 * one's server is down another instance (another NITKA_WP_RUN, another checkout) may answer at the
 * recorded URL, and it rejects this run's Application Password with 401.
 */
async function harnessServes(): Promise<boolean> {
	const pid = Number((await readFile(path.join(runDir(), 'php-server.pid'), 'utf8').catch(() => '')).trim());
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** WordPress answers 401 when it does not accept the Application Password (rest_forbidden). */
class CredentialsRejected extends Error {}
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

/** Issues a pairing code for a site's existing WooCommerce tenant, as its admin API key would. */
export type SiteCodeIssuer = (siteUrl: string) => Promise<string | null>;

/** The demo owns its connector: it may issue a tenant's code directly (the admin API key's way). */
export function siteCodeIssuer(db: Db, box: SecretBox): SiteCodeIssuer {
	return async (siteUrl) => {
		const tenant = await db
			.selectFrom('tenants')
			.select('id')
			.where('kind', '=', 'woocommerce')
			.where('external_id', '=', trim(siteUrl))
			.executeTakeFirst();
		if (!tenant) return null;
		return (await createWooCommerceSites(db, box).issueCode({ tenantId: tenant.id }, Date.now())).code;
	};
}

/**
 * Pairs the site with the connector as its admin would on the Nitka settings screen, through the
 * plugin's REST API: a local pairing code (no API key: the connector runs on this machine), then the
 * pairing. Each run, because the connector's port changes; the site keeps its tenant (one per site).
 * The plugin signs a re-pairing with the pairing it holds; a WordPress set up afresh holds none, and
 * a local code cannot take over the site's tenant then: the demo issues that tenant's code instead.
 */
async function pair(
	site: string,
	initialAuth: string,
	connectorUrl: string,
	siteCode?: SiteCodeIssuer,
): Promise<string> {
	let auth = initialAuth;
	const call = async <T extends z.ZodType>(route: string, schema: T, body: unknown): Promise<z.infer<T>> => {
		const response = await fetch(`${site}/wp-json/nitka/v1${route}`, {
			method: 'POST',
			headers: { authorization: auth, 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(20_000),
		});
		if (response.status === 401) throw new CredentialsRejected(`the plugin answered 401 to ${route}`);
		if (!response.ok) throw new Error(`the plugin answered ${response.status} to ${route}`);
		return schema.parse(await response.json());
	};
	// A 401 right after setup.sh re-created the site (new database, new Application Password) is
	// read again once: state.json is replaced only after install.php finishes.
	const { code } = await call('/local-code', CodeSchema, { url: connectorUrl }).catch(
		async (error: unknown) => {
			if (!(error instanceof CredentialsRejected)) throw error;
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			const fresh = await readHarnessState();
			if (!fresh) throw error;
			auth = basicAuth(fresh);
			return await call('/local-code', CodeSchema, { url: connectorUrl });
		},
	);
	const status = await call('/pair', StatusSchema, { url: connectorUrl, code }).catch(
		async (error: unknown) => {
			const owned = await siteCode?.(site);
			if (!owned) throw error;
			return await call('/pair', StatusSchema, { url: connectorUrl, code: owned });
		},
	);
	if (!status.paired || !status.pairing) throw new Error('the plugin did not pair');
	return status.pairing.tenantId;
}

async function readHarnessState(): Promise<z.infer<typeof StateSchema> | null> {
	const raw = await readFile(path.join(runDir(), 'state.json'), 'utf8').then(JSON.parse, () => null);
	const state = StateSchema.safeParse(raw);
	return state.success ? state.data : null;
}

const basicAuth = (harness: z.infer<typeof StateSchema>): string =>
	`Basic ${Buffer.from(`${harness.admin}:${harness.applicationPassword}`).toString('base64')}`;

/**
 * The WordPress to show, if one runs: DEMO_WORDPRESS_URL, else the site tests/wordpress/setup.sh
 * brought up; null when none responds, so the page never links to a dead site. The harness's site
 * (whose admin credentials the harness keeps) is paired with the connector; another is shown as is.
 */
export async function connectWordPress(
	configured: string | undefined,
	connectorUrl: string,
	siteCode?: SiteCodeIssuer,
): Promise<DemoWordPress | null> {
	const harness = await readHarnessState();
	const url = trim(configured ?? harness?.url ?? '');
	if (!url || !(await responds(url))) return null;
	if (!harness || trim(harness.url) !== url)
		return { url, tenantId: null, problem: 'not the harness site: pair it in its Nitka settings' };
	if (!(await harnessServes())) {
		return {
			url,
			tenantId: null,
			problem: `the harness's WordPress (${runDir()}) is not running; the site at ${url} is another instance: run bash tests/wordpress/setup.sh and restart the demo`,
		};
	}
	try {
		return { url, tenantId: await pair(url, basicAuth(harness), connectorUrl, siteCode), problem: null };
	} catch (error) {
		if (error instanceof CredentialsRejected) {
			return {
				url,
				tenantId: null,
				problem: `${error.message}: the site did not accept the Application Password in ${path.join(runDir(), 'state.json')} (its database was reset, or another run's WordPress holds the port): run bash tests/wordpress/setup.sh and restart the demo`,
			};
		}
		return { url, tenantId: null, problem: (error as Error).message };
	}
}
