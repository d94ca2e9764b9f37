import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator } from './index.ts';
import { callApi } from './test-receiver.ts';

interface PollAnswer {
	ts?: string | number;
	updates?: {
		type: string;
		event_id: string;
		v: string;
		group_id: number;
		object: Record<string, unknown>;
	}[];
	failed?: number;
}

// Samples: channels.md §3.5 (getLongPollServer → {key, server, ts}; a_check → {ts, updates} / {failed}).
describe('Bots Long Poll API (channels.md §3.5)', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	let server: { key: string; server: string; ts: string };

	const poll = async (params: {
		key?: string;
		ts?: string | number;
		wait?: number;
		act?: string;
	}): Promise<PollAnswer> => {
		const query = new URLSearchParams({
			act: params.act ?? 'a_check',
			key: params.key ?? server.key,
			ts: String(params.ts ?? server.ts),
			wait: String(params.wait ?? 0),
		});
		return (await (await fetch(`${server.server}?${query}`)).json()) as PollAnswer;
	};

	beforeEach(async () => {
		vk = await startVkEmulator();
		club = vk.createCommunity();
		const answer = await callApi(vk.url, 'groups.getLongPollServer', {
			v: '5.199',
			access_token: club.token,
			group_id: club.id,
		});
		server = answer.response as typeof server;
	});
	afterEach(async () => {
		await vk.close();
	});

	it('hands out {key, server, ts} as strings, the server being a full URL', () => {
		expect(server).toEqual({ key: expect.any(String), server: `${vk.url}/wh${club.id}`, ts: '1' });
	});

	it('returns {ts, updates} with the Callback envelope minus the secret', async () => {
		const user = vk.createUser();
		user.write(club.id, 'hello');
		const answer = await poll({});
		expect(answer.ts).toBe('2');
		expect(answer.updates).toEqual([
			{
				group_id: club.id,
				type: 'message_new',
				event_id: expect.any(String),
				v: '5.199',
				object: {
					message: expect.objectContaining({ text: 'hello', from_id: user.id }),
					client_info: expect.any(Object),
				},
			},
		]);
		expect(await poll({ ts: answer.ts })).toEqual({ ts: '2', updates: [] });
	});

	it('holds the request for up to `wait` seconds and answers as soon as an event arrives', async () => {
		const pending = poll({ wait: 25 });
		await expect.poll(() => vk.requests.filter((r) => r.path === `/wh${club.id}`).length).toBe(1);
		vk.createUser().write(club.id, 'now');
		const answer = await pending;
		expect(answer.updates?.map((u) => u.type)).toEqual(['message_new']);
	});

	it('answers {failed: 1, ts} for a ts whose history is gone, {failed: 2} for a stale key, {failed: 3} on loss', async () => {
		const small = await startVkEmulator({ longPoll: { historySize: 2 } });
		try {
			const shop = small.createCommunity();
			const lp = (
				await callApi(small.url, 'groups.getLongPollServer', {
					v: '5.199',
					access_token: shop.token,
					group_id: shop.id,
				})
			).response as typeof server;
			const user = small.createUser();
			for (const text of ['a', 'b', 'c']) user.write(shop.id, text);
			const url = (key: string, ts: string | number) => `${lp.server}?act=a_check&key=${key}&ts=${ts}&wait=0`;
			expect(await (await fetch(url(lp.key, lp.ts))).json()).toEqual({ failed: 1, ts: 4 });
			small.longPoll.expireKey(shop.id);
			expect(await (await fetch(url(lp.key, 4))).json()).toEqual({ failed: 2 });
			const fresh = (
				await callApi(small.url, 'groups.getLongPollServer', {
					v: '5.199',
					access_token: shop.token,
					group_id: shop.id,
				})
			).response as typeof server;
			expect(fresh.key).not.toBe(lp.key);
			small.longPoll.injectFailure(shop.id, 3);
			expect(await (await fetch(url(fresh.key, fresh.ts))).json()).toEqual({ failed: 3 });
			// After failed 3 both key and ts must be fetched again.
			expect(await (await fetch(url(fresh.key, fresh.ts))).json()).toEqual({ failed: 2 });
		} finally {
			await small.close();
		}
	});

	it('injects failures 1 and 2 on demand', async () => {
		vk.longPoll.injectFailure(club.id, 1);
		expect(await poll({})).toEqual({ failed: 1, ts: 1 });
		vk.longPoll.injectFailure(club.id, 2);
		expect(await poll({})).toEqual({ failed: 2 });
	});

	it('follows groups.setLongPollSettings (enabled, event types, api_version)', async () => {
		const call = (params: Record<string, string | number>) =>
			callApi(vk.url, 'groups.setLongPollSettings', {
				v: '5.199',
				access_token: club.token,
				group_id: club.id,
				...params,
			});
		expect(await call({ message_reply: 0, api_version: '5.131' })).toEqual({ response: 1 });
		const settings = await callApi(vk.url, 'groups.getLongPollSettings', {
			v: '5.199',
			access_token: club.token,
			group_id: club.id,
		});
		expect(settings.response).toMatchObject({
			is_enabled: true,
			api_version: '5.131',
			events: { message_new: 1, message_reply: 0 },
		});
		const user = vk.createUser();
		user.write(club.id, 'hi');
		await callApi(vk.url, 'messages.send', {
			v: '5.199',
			access_token: club.token,
			peer_id: user.id,
			random_id: 1,
			message: 'yo',
		});
		const answer = await poll({});
		expect(answer.updates?.map((u) => [u.type, u.v])).toEqual([['message_new', '5.131']]);
		await call({ enabled: 0 });
		const disabled = await callApi(vk.url, 'groups.getLongPollServer', {
			v: '5.199',
			access_token: club.token,
			group_id: club.id,
		});
		expect(disabled.error).toMatchObject({ error_code: 100 });
	});

	it('serves an injected 5xx on the poll endpoint', async () => {
		vk.faults.add({ match: 'longpoll', fault: { kind: 'status', status: 503 }, times: 1 });
		const response = await fetch(`${server.server}?act=a_check&key=${server.key}&ts=${server.ts}&wait=0`);
		expect(response.status).toBe(503);
		expect(await poll({})).toEqual({ ts: '1', updates: [] });
	});

	it('denies another community’s long poll to a community key (error 15)', async () => {
		const other = vk.createCommunity();
		const answer = await callApi(vk.url, 'groups.getLongPollServer', {
			v: '5.199',
			access_token: club.token,
			group_id: other.id,
		});
		expect(answer.error).toMatchObject({ error_code: 15 });
	});
});

describe('groups.getById response shape by version', () => {
	let vk: VkEmulator;
	beforeEach(async () => {
		vk = await startVkEmulator();
	});
	afterEach(async () => {
		await vk.close();
	});

	it('answers {groups, profiles} in 5.199 and a bare array in 5.131 (vk-api-schema)', async () => {
		const club = vk.createCommunity({ name: 'Nitka', screen_name: 'nitka_shop' });
		const current = await callApi(vk.url, 'groups.getById', { v: '5.199', access_token: club.token });
		expect(current.response).toEqual({
			groups: [
				expect.objectContaining({
					id: club.id,
					name: 'Nitka',
					screen_name: 'nitka_shop',
					type: 'group',
					is_closed: 0,
				}),
			],
			profiles: [],
		});
		const legacy = await callApi(vk.url, 'groups.getById', {
			v: '5.131',
			access_token: club.token,
			group_id: 'nitka_shop',
		});
		expect(legacy.response).toEqual([expect.objectContaining({ id: club.id })]);
	});
});
