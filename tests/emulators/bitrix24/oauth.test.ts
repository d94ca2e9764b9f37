import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppReceiver, startAppReceiver } from './app-receiver.ts';
import {
	type Bitrix24Emulator,
	createManualClock,
	type ManualClock,
	startBitrix24Emulator,
} from './index.ts';
import { callRest, nitkaApp } from './test-fixtures.ts';

let clock: ManualClock;
let emulator: Bitrix24Emulator;
let receiver: AppReceiver;

beforeEach(async () => {
	clock = createManualClock();
	receiver = await startAppReceiver();
	emulator = await startBitrix24Emulator({ clock, apps: [nitkaApp(receiver.url)] });
});
afterEach(async () => {
	await emulator.close();
	await receiver.close();
});

const APP = 'local.65f1a2b3c4d5e6.12345678';
const SECRET = 'Sx9vP2mQ7rT4kL1nB8cZ3wY6hJ5dF0gA';

async function refresh(refreshToken: string, secret = SECRET) {
	const response = await fetch(`${emulator.oauthUrl}/oauth/token/`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'refresh_token',
			client_id: APP,
			client_secret: secret,
			refresh_token: refreshToken,
		}),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('install (research §1.2 ONAPPINSTALL)', () => {
	it('posts ONAPPINSTALL form-encoded with tokens and application_token', async () => {
		const installed = await emulator.installApp(APP);
		const post = receiver.posts('/install/')[0];
		expect(post?.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(post?.request.rawBody).toMatch(/^event=ONAPPINSTALL&data%5BVERSION%5D=1&data%5BACTIVE%5D=Y/);
		const form = post?.form as {
			event: string;
			data: Record<string, string>;
			ts: string;
			auth: Record<string, string>;
		};
		expect(form.event).toBe('ONAPPINSTALL');
		expect(form.data).toEqual({ VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' });
		expect(form.ts).toBe(String(Math.floor(clock.now() / 1000)));
		for (const key of [
			'domain',
			'scope',
			'access_token',
			'refresh_token',
			'expires_in',
			'server_endpoint',
			'status',
			'client_endpoint',
			'member_id',
			'application_token',
		]) {
			expect(form.auth).toHaveProperty(key);
		}
		expect(form.auth.application_token).toBe(installed.applicationToken);
		expect(form.auth.member_id).toBe(installed.memberId);
		expect(form.auth.server_endpoint).toBe(`${emulator.oauthUrl}/rest/`);
		expect(form.auth.client_endpoint).toBe(`${emulator.url}/rest/`);
		expect(form.auth.expires_in).toBe('3600');
	});

	it('posts the install page form of a UI app with the fields of CORE app.layout (research §1.1)', async () => {
		emulator.defineApp(nitkaApp(receiver.url, { hasUi: true, installEventUrl: undefined }));
		const installed = await emulator.installApp(APP);
		const post = receiver.posts('/app/')[0];
		const query = new URL(
			`http://x${post?.request.path}?${new URLSearchParams(post?.request.query as Record<string, string>)}`,
		).searchParams;
		expect(query.get('DOMAIN')).toBe(installed.domain);
		expect(query.get('PROTOCOL')).toBe('0');
		expect(query.get('LANG')).toBe('ru');
		expect(query.get('APP_SID')).toBe(installed.auth.appSid);
		expect(Object.keys(post?.form ?? {})).toEqual([
			'AUTH_ID',
			'AUTH_EXPIRES',
			'REFRESH_ID',
			'SERVER_ENDPOINT',
			'APPLICATION_TOKEN',
			'APPLICATION_SCOPE',
			'member_id',
			'status',
			'PLACEMENT',
		]);
		expect(post?.form).toMatchObject({
			AUTH_EXPIRES: '3600',
			PLACEMENT: 'DEFAULT',
			status: 'L',
			member_id: installed.memberId,
		});
		// A UI app is not installed until installFinish (research §0.15).
		const info = await callRest(`${emulator.url}/rest/app.info`, { auth: installed.auth.accessToken });
		expect((info.body.result as { INSTALLED: boolean }).INSTALLED).toBe(false);
		emulator.finishInstall(APP);
		const after = await callRest(`${emulator.url}/rest/app.info`, { auth: installed.auth.accessToken });
		expect((after.body.result as { INSTALLED: boolean }).INSTALLED).toBe(true);
	});
});

describe('OAuth server (research §1.4)', () => {
	it('refreshes with the documented response and rotates the refresh token', async () => {
		const { auth } = await emulator.installApp(APP);
		const first = await refresh(auth.refreshToken);
		expect(first.status).toBe(200);
		expect(Object.keys(first.body).sort()).toEqual(
			[
				'access_token',
				'client_endpoint',
				'domain',
				'expires',
				'expires_in',
				'member_id',
				'refresh_token',
				'scope',
				'server_endpoint',
				'status',
				'user_id',
			].sort(),
		);
		expect(first.body.expires).toBe(Math.floor(clock.now() / 1000) + 3600);
		expect(first.body.expires_in).toBe(3600);
		expect(first.body.user_id).toBe(1);
		expect(first.body.refresh_token).not.toBe(auth.refreshToken);
		const reuse = await refresh(auth.refreshToken);
		expect(reuse).toEqual({
			status: 400,
			body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
		});
		const ok = await callRest(`${emulator.url}/rest/profile`, { auth: first.body.access_token });
		expect(ok.status).toBe(200);
	});

	it('accepts GET with query parameters too', async () => {
		const { auth } = await emulator.installApp(APP);
		const query = new URLSearchParams({
			grant_type: 'refresh_token',
			client_id: APP,
			client_secret: SECRET,
			refresh_token: auth.refreshToken,
		});
		const response = await fetch(`${emulator.oauthUrl}/oauth/token/?${query}`);
		expect(response.status).toBe(200);
	});

	it('rejects a wrong client secret with invalid_client', async () => {
		const { auth } = await emulator.installApp(APP);
		const answer = await refresh(auth.refreshToken, 'wrong');
		expect(answer.status).toBe(401);
		expect(answer.body.error).toBe('invalid_client');
	});

	it('exchanges an authorization code once (full flow)', async () => {
		await emulator.installApp(APP);
		const code = emulator.oauth.issueCode(emulator.portal().state.domain, APP, 1);
		const query = new URLSearchParams({
			grant_type: 'authorization_code',
			client_id: APP,
			client_secret: SECRET,
			code,
		});
		expect((await fetch(`${emulator.oauthUrl}/oauth/token/?${query}`)).status).toBe(200);
		expect((await fetch(`${emulator.oauthUrl}/oauth/token/?${query}`)).status).toBe(400);
	});
});

describe('token errors (research §2.2)', () => {
	it('expires access tokens after 3600 s on the injected clock', async () => {
		const { auth } = await emulator.installApp(APP);
		clock.advance(3599_000);
		expect((await callRest(`${emulator.url}/rest/profile`, { auth: auth.accessToken })).status).toBe(200);
		clock.advance(1_000);
		const expired = await callRest(`${emulator.url}/rest/profile`, { auth: auth.accessToken });
		expect(expired).toMatchObject({
			status: 401,
			body: { error: 'expired_token', error_description: 'The access token provided has expired.' },
		});
	});

	it('answers invalid_token for unknown tokens and NO_AUTH_FOUND without auth', async () => {
		await emulator.installApp(APP);
		const invalid = await callRest(`${emulator.url}/rest/profile`, { auth: 'nope' });
		expect(invalid).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
		const missing = await callRest(`${emulator.url}/rest/profile`, {});
		expect(missing).toMatchObject({
			status: 401,
			body: { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' },
		});
	});

	it('forces the next call of a token to get expired_token', async () => {
		const { auth } = await emulator.installApp(APP);
		emulator.oauth.expireAccessToken(auth.accessToken);
		expect((await callRest(`${emulator.url}/rest/profile`, { auth: auth.accessToken })).body.error).toBe(
			'expired_token',
		);
		emulator.faults.add({ match: 'profile', fault: { kind: 'expired-token' }, times: 1 });
		const fresh = emulator.issueFrameAuth(APP);
		expect((await callRest(`${emulator.url}/rest/profile`, { auth: fresh.accessToken })).body.error).toBe(
			'expired_token',
		);
		expect((await callRest(`${emulator.url}/rest/profile`, { auth: fresh.accessToken })).status).toBe(200);
	});

	it('revokes tokens and sends token-less ONAPPUNINSTALL on uninstall (research §1.3)', async () => {
		const { auth } = await emulator.installApp(APP);
		await callRest(`${emulator.url}/rest/event.bind`, {
			auth: auth.accessToken,
			event: 'ONAPPUNINSTALL',
			handler: `${receiver.url}/uninstall/`,
		});
		await emulator.uninstallApp(APP, { clean: true });
		const form = receiver.posts('/uninstall/')[0]?.form as {
			event: string;
			data: Record<string, string>;
			auth: Record<string, string>;
		};
		expect(form.event).toBe('ONAPPUNINSTALL');
		expect(form.data).toEqual({ LANGUAGE_ID: 'ru', CLEAN: '1' });
		expect(form.auth).not.toHaveProperty('access_token');
		expect(form.auth).not.toHaveProperty('refresh_token');
		expect(form.auth.application_token).toMatch(/^[0-9a-f]{32}$/);
		expect((await callRest(`${emulator.url}/rest/profile`, { auth: auth.accessToken })).body.error).toBe(
			'invalid_token',
		);
		expect((await refresh(auth.refreshToken)).body.error).toBe('invalid_grant');
	});
});

describe('issueFrameAuth (for the portal page)', () => {
	it('returns a usable frame auth for an installed app', async () => {
		await emulator.installApp(APP);
		const frame = emulator.issueFrameAuth(APP, 27);
		expect(frame).toMatchObject({
			domain: emulator.portal().state.domain,
			userId: 27,
			isAdmin: false,
			language: 'ru',
			expiresIn: 3600,
			protocol: 0,
		});
		expect(frame.appSid).toMatch(/^[0-9a-f]{32}$/);
		const profile = await callRest(`${emulator.url}/rest/profile`, { auth: frame.accessToken });
		expect((profile.body.result as { ID: string }).ID).toBe('27');
	});
});

describe('frameAuthProvider (portal-page adapter)', () => {
	it('mints snake_case grants valid for REST', async () => {
		await emulator.installApp(APP);
		const grant = emulator.frameAuthProvider()({ appId: APP, userId: 1 });
		expect(grant).toMatchObject({
			expires_in: 3600,
			member_id: emulator.portal().state.memberId,
			status: 'L',
		});
		expect((await callRest(`${emulator.url}/rest/profile`, { auth: grant.access_token })).status).toBe(200);
	});
});
