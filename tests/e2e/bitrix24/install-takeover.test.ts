import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPhpQuery, type PhpRecord } from '../../emulators/bitrix24/php-query.ts';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from './stack.ts';

const OTHER_APP = 'local.77aa88bb99cc00.87654321';

// Security review C1: an install request is unsigned, so nothing in it may re-key a portal. The
// OAuth server (allow-listed) vouches for member_id and endpoint; app.info must name our app.
describe('Bitrix24: forged installs cannot take over a portal', () => {
	let stack: Bitrix24Stack;
	let evil: Server;
	let evilUrl = '';
	const evilHits: string[] = [];

	const row = async (memberId: string) =>
		await stack.server.db
			.selectFrom('host_portals')
			.selectAll()
			.where('external_id', '=', memberId)
			.executeTakeFirstOrThrow();
	const postInstall = async (form: PhpRecord, query = '') =>
		await fetch(`${stack.server.url}/hosts/bitrix24/install${query}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: buildPhpQuery(form),
		});
	const installEvent = (auth: PhpRecord): PhpRecord => ({
		event: 'ONAPPINSTALL',
		data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' },
		ts: String(Math.floor(Date.now() / 1000)),
		auth,
	});

	beforeAll(async () => {
		stack = await startBitrix24Stack({ portals: 2 });
		evil = createServer((req, res) => {
			evilHits.push(`${req.method} ${req.url}`);
			res.setHeader('content-type', 'application/json');
			// Answers like a portal and an OAuth server would, for whoever asks.
			res.end(
				JSON.stringify({
					result: { CODE: APP_ID, INSTALLED: true },
					access_token: 'evil-at',
					refresh_token: 'evil-rt',
					member_id: 'whatever',
					client_endpoint: `${evilUrl}/rest/`,
				}),
			);
		});
		await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
		evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
		stack.b24.defineApp({
			clientId: OTHER_APP,
			clientSecret: 'another-secret-another-secret-00',
			scope: 'crm,user_brief',
			version: '1',
			hasUi: false,
			status: 'L',
		});
	});
	afterAll(async () => {
		await stack?.close();
		await new Promise((resolve) => evil?.close(resolve));
	});

	it('refuses forged installs for an existing member_id; nothing stored changes, the evil host is never called', async () => {
		const victim = await stack.b24.installApp(APP_ID);
		expect(victim.page?.status).toBe(200);
		stack.b24.finishInstall(APP_ID);
		const attackerPortal = stack.b24.portals[1]!.state;
		await stack.b24.installApp(APP_ID, { domain: attackerPortal.domain });
		const before = await row(victim.memberId);
		expect(before.client_endpoint).toBe(`${stack.b24.url}/rest/`);
		// A genuine refresh token, but of the attacker's own portal.
		const attackerTokens = stack.b24.issueFrameAuth(APP_ID, 1, attackerPortal.domain);
		const oauth = stack.b24.oauth.serverEndpoint;
		const victimAuth = {
			member_id: victim.memberId,
			domain: victim.domain,
			server_endpoint: oauth,
			access_token: 'a'.repeat(40),
			refresh_token: 'r'.repeat(40),
			expires_in: 3600,
			application_token: 'attacker-app-token',
			status: 'L',
		};
		const evilHost = evilUrl.replace('http://', '');

		const attempts: { name: string; send: () => Promise<Response>; status: number }[] = [
			{
				name: 'ONAPPINSTALL: victim domain, evil client_endpoint',
				send: () => postInstall(installEvent({ ...victimAuth, client_endpoint: `${evilUrl}/rest/` })),
				status: 400,
			},
			{
				name: 'ONAPPINSTALL: evil domain and endpoint, victim member_id',
				send: () =>
					postInstall(installEvent({ ...victimAuth, domain: evilHost, client_endpoint: `${evilUrl}/rest/` })),
				status: 401,
			},
			{
				name: 'ONAPPINSTALL: the attacker portal’s genuine refresh token claiming the victim',
				send: () =>
					postInstall(
						installEvent({
							...victimAuth,
							client_endpoint: `${stack.b24.url}/rest/`,
							access_token: attackerTokens.accessToken,
							refresh_token: attackerTokens.refreshToken,
						}),
					),
				status: 401,
			},
			{
				name: 'form: evil OAuth server_endpoint',
				send: () =>
					postInstall(
						{
							AUTH_ID: 'a'.repeat(40),
							REFRESH_ID: 'r'.repeat(40),
							SERVER_ENDPOINT: `${evilUrl}/rest/`,
							APPLICATION_TOKEN: 'attacker-app-token',
							member_id: victim.memberId,
						},
						`?DOMAIN=${encodeURIComponent(evilHost)}&PROTOCOL=0`,
					),
				status: 400,
			},
			{
				name: 'form: a domain with a path and credentials',
				send: () =>
					postInstall(
						{
							AUTH_ID: 'a'.repeat(40),
							REFRESH_ID: 'r'.repeat(40),
							SERVER_ENDPOINT: oauth,
							APPLICATION_TOKEN: 'attacker-app-token',
							member_id: victim.memberId,
						},
						`?DOMAIN=${encodeURIComponent(`x@${evilHost}/rest/?`)}&PROTOCOL=1`,
					),
				status: 400,
			},
		];
		for (const attempt of attempts) {
			const answer = await attempt.send();
			expect(answer.status, attempt.name).toBe(attempt.status);
			expect(answer.headers.get('content-type'), attempt.name).toMatch(/problem\+json/);
		}
		const after = await row(victim.memberId);
		expect(after).toEqual(before);
		expect(evilHits).toEqual([]);

		// The victim's stored tokens still work: a session for the victim's frame.
		const frame = stack.b24.issueFrameAuth(APP_ID);
		const session = await api(`${stack.server.url}/api/v1/hosts/bitrix24/session`, 'POST', undefined, {
			domain: frame.domain,
			memberId: frame.memberId,
			accessToken: frame.accessToken,
		});
		expect(session.status).toBe(200);
	});

	it('a genuine reinstall (form or ONAPPINSTALL) re-keys the portal with the OAuth server’s fresh tokens', async () => {
		const memberId = stack.b24.portal().state.memberId;
		const before = await row(memberId);
		const again = await stack.b24.installApp(APP_ID);
		expect(again.page?.status).toBe(200);
		const afterForm = await row(memberId);
		expect(afterForm.tenant_id).toBe(before.tenant_id);
		expect(afterForm.token_version).toBeGreaterThan(before.token_version);
		// The form's refresh token was spent on the proof: the stored pair is the OAuth server's.
		expect(afterForm.secrets).not.toEqual(before.secrets);

		const { state } = stack.b24.portal();
		const genuine = installEvent(stack.b24.events.authBlock(state, APP_ID, 1, { withRefreshToken: true }));
		const answer = await postInstall(genuine);
		expect(answer.status).toBe(200);
		const afterEvent = await row(memberId);
		expect(afterEvent.token_version).toBeGreaterThan(afterForm.token_version);
		expect(afterEvent.client_endpoint).toBe(state.clientEndpoint);
		expect(await stack.server.db.selectFrom('host_portals').select('tenant_id').execute()).toHaveLength(2);
	});

	it('refuses a session whose app.info names another app', async () => {
		await stack.b24.installApp(OTHER_APP);
		const foreign = stack.b24.issueFrameAuth(OTHER_APP);
		const answer = await api(`${stack.server.url}/api/v1/hosts/bitrix24/session`, 'POST', undefined, {
			domain: foreign.domain,
			memberId: foreign.memberId,
			accessToken: foreign.accessToken,
		});
		expect(answer.status).toBe(401);
	});

	it('an uninstalled portal is not revived by a forged install either', async () => {
		const { state } = stack.b24.portal();
		await stack.b24.uninstallApp(APP_ID);
		await eventually(async () => (await row(state.memberId)).status === 'uninstalled');
		const before = await row(state.memberId);
		const forged = await postInstall(
			installEvent({
				member_id: state.memberId,
				domain: state.domain,
				client_endpoint: state.clientEndpoint,
				server_endpoint: stack.b24.oauth.serverEndpoint,
				access_token: 'a'.repeat(40),
				refresh_token: 'r'.repeat(40),
				application_token: 'attacker-app-token',
			}),
		);
		expect(forged.status).toBe(401);
		expect(await row(state.memberId)).toEqual(before);
		expect(evilHits).toEqual([]);
	});
});
