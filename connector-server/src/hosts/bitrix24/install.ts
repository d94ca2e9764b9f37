import { z } from 'zod';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import type { ClientPool } from './client-pool.ts';
import { Bitrix24ApiError } from './errors.ts';
import { parsePhpForm } from './php-form.ts';
import { AppInfoSchema, EventAuthSchema, InstallFormSchema } from './schemas.ts';
import { bindPortal } from './setup.ts';

/** The official OAuth servers (research §1.4); an install naming any other is refused. */
export const BITRIX24_OAUTH_SERVERS: readonly string[] = [
	'https://oauth.bitrix.info/rest/',
	'https://oauth.bitrix24.tech/rest/',
];

export interface InstallInput {
	memberId: string;
	domain: string;
	/** Derived from `domain` (never copied from the request): `https://<domain>/rest/`. */
	clientEndpoint: string;
	serverEndpoint: string;
	accessToken: string;
	refreshToken: string;
	expiresAt: number;
	applicationToken: string;
}

export interface InstallPolicy {
	/**
	 * Loopback portals (`127.0.0.1:PORT`, `localhost:PORT`, over http) are accepted, and so are
	 * loopback OAuth servers when no list is configured: only for a connector that is itself local
	 * (no public URL, or a loopback one), i.e. development against the emulator. Never for a deployed
	 * connector.
	 */
	allowLoopback: boolean;
}

const HOST_NAME =
	/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** True for a connector URL that no portal on the internet could reach: none, or loopback. */
export function isLocalConnector(publicUrl: string | undefined): boolean {
	if (!publicUrl) return true;
	try {
		const { hostname } = new URL(publicUrl);
		return LOOPBACK_HOSTS.has(hostname) || hostname === '[::1]';
	} catch {
		return false;
	}
}

const isLoopbackUrl = (value: string) => {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
	} catch {
		return false;
	}
};

/**
 * The portal's REST endpoint, from its domain alone: `https://<host>[:port]/rest/`. The domain must
 * be a bare host name (no scheme, path, credentials or query); loopback hosts only under the
 * development policy, over http (the emulator's portals are `127.0.0.1:PORT`).
 */
export function portalEndpoint(
	rawDomain: string,
	policy: InstallPolicy,
): { domain: string; endpoint: string } {
	const domain = rawDomain.trim().toLowerCase();
	const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(domain);
	const host = match?.[1] ?? '';
	const port = match?.[2];
	const loopback = LOOPBACK_HOSTS.has(host);
	if (!match || !HOST_NAME.test(host) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
		throw new Bitrix24ApiError('INVALID_INSTALL', 400, 'DOMAIN is not a host name');
	}
	if (loopback && !policy.allowLoopback) {
		throw new Bitrix24ApiError(
			'INVALID_INSTALL',
			400,
			'a loopback portal is refused by a deployed connector',
		);
	}
	// Dotless names other than loopback (intranet hosts, bare IPv4 tails) are never a portal.
	if (!loopback && !host.includes('.')) {
		throw new Bitrix24ApiError('INVALID_INSTALL', 400, 'DOMAIN is not a host name');
	}
	return { domain, endpoint: `${loopback ? 'http' : 'https'}://${domain}/rest/` };
}

const sameEndpoint = (a: string, b: string) =>
	a.replace(/\/*$/, '/').toLowerCase() === b.replace(/\/*$/, '/').toLowerCase();

/** The install page POST (research §1.1) or the ONAPPINSTALL event (§1.2), as one input. */
export function parseInstall(
	rawBody: string,
	query: Record<string, unknown>,
	now: number,
	policy: InstallPolicy,
): InstallInput {
	const form = parsePhpForm(rawBody);
	if (typeof form.event === 'string' && form.event.toUpperCase() === 'ONAPPINSTALL') {
		const auth = EventAuthSchema.parse(form.auth);
		if (!auth.access_token || !auth.refresh_token || !auth.server_endpoint || !auth.client_endpoint) {
			throw new Bitrix24ApiError('INVALID_INSTALL', 400, 'ONAPPINSTALL without tokens or endpoints');
		}
		const { domain, endpoint } = portalEndpoint(auth.domain, policy);
		// The event names its endpoint; it must be the domain's own, never a host of the sender's choice.
		if (!sameEndpoint(auth.client_endpoint, endpoint)) {
			throw new Bitrix24ApiError('INVALID_INSTALL', 400, 'client_endpoint is not the portal domain');
		}
		return {
			memberId: auth.member_id,
			domain,
			clientEndpoint: endpoint,
			serverEndpoint: auth.server_endpoint,
			accessToken: auth.access_token,
			refreshToken: auth.refresh_token,
			expiresAt: auth.expires ? auth.expires * 1000 : now + (auth.expires_in ?? 3600) * 1000,
			applicationToken: auth.application_token,
		};
	}
	const parsed = InstallFormSchema.parse({ ...query, ...form });
	const serverEndpoint = parsed.SERVER_ENDPOINT ?? parsed.server_endpoint;
	if (!parsed.DOMAIN || !serverEndpoint)
		throw new Bitrix24ApiError('INVALID_INSTALL', 400, 'install form without DOMAIN or SERVER_ENDPOINT');
	const { domain, endpoint } = portalEndpoint(parsed.DOMAIN, policy);
	return {
		memberId: parsed.member_id,
		domain,
		clientEndpoint: endpoint,
		serverEndpoint,
		accessToken: parsed.AUTH_ID,
		refreshToken: parsed.REFRESH_ID,
		expiresAt: now + parsed.AUTH_EXPIRES * 1000,
		applicationToken: parsed.APPLICATION_TOKEN,
	};
}

const ProofSchema = z.object({
	access_token: z.string().min(1),
	refresh_token: z.string().min(1),
	member_id: z.string().min(1),
	client_endpoint: z.string().url(),
	expires: z.coerce.number().optional(),
	expires_in: z.coerce.number().default(3600),
});

/**
 * `app.info` names our app: its CODE (or client_id) equals our client_id, or the marketplace app
 * code when one is configured (a marketplace app's CODE is its vendor code, not its client_id).
 */
export function isOurApp(info: z.infer<typeof AppInfoSchema>, clientId: string, appCode?: string): boolean {
	const ours = new Set([clientId, ...(appCode ? [appCode] : [])]);
	return (
		(info.CODE !== undefined && ours.has(info.CODE)) ||
		(info.client_id !== undefined && ours.has(info.client_id))
	);
}

/**
 * Installs (or re-installs) on a portal. Nothing in the request is trusted: the refresh token is
 * exchanged with our client_id/secret at an allow-listed OAuth server, whose answer names the
 * portal (member_id, client_endpoint) the token belongs to; the request's member_id and domain must
 * be that portal, and only the server's values and its fresh tokens are stored. Then `app.info` on
 * that endpoint must name our app. An existing install is re-keyed only through this proof for its
 * own member_id (a genuine reinstall), so a forged install for someone else's portal changes nothing
 * and reaches no host but the OAuth server.
 */
export async function installPortal(
	deps: {
		store: HostPortalStore;
		pool: ClientPool;
		clientId: string;
		appCode?: string | undefined;
		clientSecret: string;
		allowedServerEndpoints?: readonly string[];
		policy: InstallPolicy;
		urls: { events: string; app: string };
		now: () => number;
		fetch?: typeof fetch;
	},
	input: InstallInput,
): Promise<{ tenantId: string; created: boolean; failed: Record<string, string> }> {
	const doFetch = deps.fetch ?? fetch;
	// A configured list is authoritative; the default (the official two) admits loopback servers only
	// for a local connector (the emulator's OAuth server in the demo).
	const configured = deps.allowedServerEndpoints;
	const serverAllowed = configured
		? configured.some((server) => sameEndpoint(server, input.serverEndpoint))
		: BITRIX24_OAUTH_SERVERS.some((server) => sameEndpoint(server, input.serverEndpoint)) ||
			(deps.policy.allowLoopback && isLoopbackUrl(input.serverEndpoint));
	if (!serverAllowed) throw new Bitrix24ApiError('INVALID_INSTALL', 400, 'unknown OAuth server_endpoint');

	// (1) The proof: the OAuth server tells whose refresh token this is.
	const rejected = (why: string) => new Bitrix24ApiError('INVALID_INSTALL', 401, why);
	const tokenUrl = new URL('/oauth/token/', input.serverEndpoint);
	const answer = await doFetch(tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'refresh_token',
			client_id: deps.clientId,
			client_secret: deps.clientSecret,
			refresh_token: input.refreshToken,
		}),
		redirect: 'error',
	}).catch((error: unknown) => {
		throw new Bitrix24ApiError('NETWORK_ERROR', 502, 'the OAuth server is unreachable', { cause: error });
	});
	const proof = ProofSchema.safeParse(await answer.json().catch(() => ({})));
	if (!answer.ok || !proof.success) throw rejected('the OAuth server did not accept the install tokens');
	if (proof.data.member_id !== input.memberId) throw rejected('the tokens belong to another portal');
	if (!sameEndpoint(proof.data.client_endpoint, input.clientEndpoint)) {
		throw rejected('the tokens belong to another portal domain');
	}
	const now = deps.now();
	const tokens = {
		accessToken: proof.data.access_token,
		refreshToken: proof.data.refresh_token,
		expiresAt: proof.data.expires ? proof.data.expires * 1000 : now + proof.data.expires_in * 1000,
	};

	// (2) The token is one of our app's: app.info on the endpoint the OAuth server named.
	const verified = await doFetch(new URL('app.info', input.clientEndpoint), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ auth: tokens.accessToken }),
		redirect: 'error',
	}).catch((error: unknown) => {
		throw new Bitrix24ApiError('NETWORK_ERROR', 502, 'the portal is unreachable', { cause: error });
	});
	const info = AppInfoSchema.safeParse(
		((await verified.json().catch(() => ({}))) as { result?: unknown }).result,
	);
	if (!verified.ok || !info.success || !isOurApp(info.data, deps.clientId, deps.appCode)) {
		throw rejected('the portal did not accept the install tokens');
	}

	const { portal, created } = await deps.store.install({
		host: 'bitrix24',
		externalId: proof.data.member_id,
		name: input.domain,
		domain: input.domain,
		clientEndpoint: input.clientEndpoint,
		serverEndpoint: input.serverEndpoint,
		applicationToken: input.applicationToken,
		tokens,
	});
	deps.pool.evict(portal.tenantId);
	const client = await deps.pool.forPortal(portal);
	const failed = await bindPortal(client, deps.urls);
	return { tenantId: portal.tenantId, created, failed };
}
