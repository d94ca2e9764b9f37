import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator } from './index.ts';
import { callApi, manualClock } from './test-receiver.ts';

// Samples: channels.md §3.1 (request format and error envelope) and §3.2 (rate limits).
describe('VK API request format and error envelope (channels.md §3.1)', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;

	beforeEach(async () => {
		vk = await startVkEmulator();
		club = vk.createCommunity({ name: 'Nitka shop' });
	});
	afterEach(async () => {
		await vk.close();
	});

	it('answers success as HTTP 200 {response} over POST urlencoded and GET', async () => {
		const post = await callApi(vk.url, 'groups.getById', { access_token: club.token, v: '5.199' });
		expect(post).toEqual({
			response: { groups: [expect.objectContaining({ id: club.id, name: 'Nitka shop' })], profiles: [] },
		});
		const get = await callApi(
			vk.url,
			'groups.getById',
			{ access_token: club.token, v: '5.199' },
			{ get: true },
		);
		expect(get).toEqual(post);
	});

	it('takes the token from Authorization: Bearer', async () => {
		const result = await callApi(
			vk.url,
			'groups.getById',
			{ v: '5.199' },
			{ headers: { authorization: `Bearer ${club.token}` } },
		);
		expect(result).toHaveProperty('response');
	});

	it('renders errors inside HTTP 200 as {error: {error_code, error_msg, request_params}}', async () => {
		const response = await fetch(`${vk.url}/method/groups.getById`, {
			method: 'POST',
			body: new URLSearchParams({ v: '5.199', access_token: 'nope', fields: 'name' }),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			error: {
				error_code: 5,
				error_msg: 'User authorization failed: invalid access_token (4).',
				request_params: [
					{ key: 'method', value: 'groups.getById' },
					{ key: 'oauth', value: '1' },
					{ key: 'v', value: '5.199' },
					{ key: 'fields', value: 'name' },
				],
			},
		});
	});

	it('requires v (error 8) and a token (error 5), and knows its methods (error 3)', async () => {
		const noVersion = await callApi(vk.url, 'users.get', { access_token: club.token });
		expect(noVersion.error).toMatchObject({
			error_code: 8,
			error_msg: 'Invalid request: v (version) is required',
		});
		const noToken = await callApi(vk.url, 'users.get', { v: '5.199' });
		expect(noToken.error).toMatchObject({
			error_code: 5,
			error_msg: 'User authorization failed: no access_token passed.',
		});
		const unknown = await callApi(vk.url, 'messages.teleport', { v: '5.199', access_token: club.token });
		expect(unknown.error).toMatchObject({ error_code: 3, error_msg: 'Unknown method passed' });
	});

	it('does not read a JSON body: VK supports only urlencoded or multipart POST', async () => {
		const response = await fetch(`${vk.url}/method/groups.getById`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ v: '5.199', access_token: club.token }),
		});
		expect(await response.json()).toMatchObject({ error: { error_code: 8 } });
	});

	it('fails expired and revoked community keys with error 5', async () => {
		club.expireToken();
		const expired = await callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token });
		expect(expired.error).toMatchObject({
			error_code: 5,
			error_msg: 'User authorization failed: access_token has expired.',
		});
		club.revokeToken();
		const revoked = await callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token });
		expect(revoked.error).toMatchObject({ error_code: 5 });
		club.restoreToken();
		expect(await callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token })).toEqual({
			response: [],
		});
	});

	it('records what it received', async () => {
		await callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token, user_ids: '1' });
		const entry = vk.requests.filter((r) => r.path === '/method/users.get')[0];
		expect(entry?.rawBody).toContain('user_ids=1');
	});
});

describe('rate limit: error 6 above 20 requests per second per community token (channels.md §3.2)', () => {
	it('allows 20 within a second, answers the 21st with error 6, and recovers as time passes', async () => {
		const clock = manualClock();
		const vk = await startVkEmulator({ clock });
		const club = vk.createCommunity();
		const other = vk.createCommunity();
		try {
			const call = (token: string) => callApi(vk.url, 'users.get', { v: '5.199', access_token: token });
			for (let i = 0; i < 20; i++) expect(await call(club.token)).toHaveProperty('response');
			expect((await call(club.token)).error).toEqual({
				error_code: 6,
				error_msg: 'Too many requests per second',
				request_params: [
					{ key: 'method', value: 'users.get' },
					{ key: 'oauth', value: '1' },
					{ key: 'v', value: '5.199' },
				],
			});
			// Another community's token has its own budget.
			expect(await call(other.token)).toHaveProperty('response');
			clock.advance(50); // one request's worth at 20/s
			expect(await call(club.token)).toHaveProperty('response');
			expect((await call(club.token)).error).toMatchObject({ error_code: 6 });
			clock.advance(1000);
			for (let i = 0; i < 20; i++) expect(await call(club.token)).toHaveProperty('response');
		} finally {
			await vk.close();
		}
	});

	it('takes a configured limit, and counts execute as one request', async () => {
		const clock = manualClock();
		const vk = await startVkEmulator({ clock, communityRateLimit: 3 });
		const club = vk.createCommunity();
		try {
			const code = `return [${Array.from({ length: 5 }, () => 'API.users.get({})').join(',')}];`;
			for (let i = 0; i < 3; i++) {
				expect(
					await callApi(vk.url, 'execute', { v: '5.199', access_token: club.token, code }),
				).toHaveProperty('response');
			}
			const storm = await Promise.all(
				Array.from({ length: 10 }, () =>
					callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token }),
				),
			);
			expect(storm.every((r) => (r.error as { error_code?: number } | undefined)?.error_code === 6)).toBe(
				true,
			);
		} finally {
			await vk.close();
		}
	});
});

describe('fault injection', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	beforeEach(async () => {
		vk = await startVkEmulator();
		club = vk.createCommunity();
	});
	afterEach(async () => {
		await vk.close();
	});
	const call = () => callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token });

	it('answers an injected 5xx as an HTTP error from the front end, then recovers', async () => {
		vk.faults.add({ match: 'users.get', fault: { kind: 'status', status: 502 }, times: 1 });
		const response = await fetch(`${vk.url}/method/users.get?v=5.199&access_token=${club.token}`);
		expect(response.status).toBe(502);
		expect(await call()).toEqual({ response: [] });
	});

	it('renders rate-limit and expired-token faults as VK errors 6 and 5', async () => {
		vk.faults.add({ match: /^users\./, fault: { kind: 'rate-limit' }, times: 2 });
		expect((await call()).error).toMatchObject({ error_code: 6 });
		expect((await call()).error).toMatchObject({ error_code: 6 });
		vk.faults.add({ match: 'users.get', fault: { kind: 'expired-token' }, times: 1 });
		expect((await call()).error).toMatchObject({ error_code: 5 });
		expect(await call()).toEqual({ response: [] });
	});

	it('applies latency and still answers', async () => {
		vk.faults.add({ match: 'users.get', fault: { kind: 'latency', ms: 20 }, times: 1 });
		expect(await call()).toEqual({ response: [] });
	});

	it('injects any VK error code: 9 Flood control, 10 Internal server error', async () => {
		vk.vkErrors.add('users.get', 9);
		vk.vkErrors.add('users.get', 10);
		expect((await call()).error).toMatchObject({ error_code: 9, error_msg: 'Flood control' });
		expect((await call()).error).toMatchObject({ error_code: 10, error_msg: 'Internal server error' });
		expect(await call()).toEqual({ response: [] });
	});
});
