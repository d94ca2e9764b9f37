import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator, type VkUser } from './index.ts';
import { callApi, manualClock } from './test-receiver.ts';

// Samples: channels.md §3.3 (messages.send params, response, errors) and §3.4 (message_deny → 901).
describe('messages.send (channels.md §3.3)', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	let anna: VkUser;
	const clock = manualClock();
	const send = (params: Record<string, string | number>) =>
		callApi(vk.url, 'messages.send', { v: '5.199', access_token: club.token, ...params });

	beforeEach(async () => {
		vk = await startVkEmulator({ clock });
		club = vk.createCommunity();
		anna = vk.createUser({ first_name: 'Anna', last_name: 'Smirnova' });
	});
	afterEach(async () => {
		await vk.close();
	});

	it('fails with 901 until the user has written, then returns the integer message id', async () => {
		expect((await send({ peer_id: anna.id, random_id: 1, message: 'hi' })).error).toMatchObject({
			error_code: 901,
			error_msg: "Can't send messages for users without permission",
		});
		anna.write(club.id, 'Hello!');
		const sent = await send({ peer_id: anna.id, random_id: 2, message: 'Hi Anna' });
		expect(sent).toEqual({ response: expect.any(Number) });
		expect(club.sentTo(anna.id)).toMatchObject([
			{ id: sent.response, text: 'Hi Anna', out: 1, from_id: -club.id, random_id: 2 },
		]);
	});

	it('accepts user_id as the recipient too', async () => {
		anna.write(club.id, 'Hello!');
		expect(await send({ user_id: anna.id, random_id: 5, message: 'via user_id' })).toHaveProperty('response');
	});

	it('requires random_id (error 100)', async () => {
		anna.write(club.id, 'Hello!');
		expect((await send({ peer_id: anna.id, message: 'x' })).error).toMatchObject({ error_code: 100 });
		expect(club.sentTo(anna.id)).toHaveLength(0);
	});

	it('is idempotent by random_id: the same id returns the first message and sends nothing new', async () => {
		anna.write(club.id, 'Hello!');
		const first = await send({ peer_id: anna.id, random_id: 777, message: 'Your order is ready' });
		clock.advance(3_600_000);
		const again = await send({ peer_id: anna.id, random_id: 777, message: 'Your order is ready' });
		expect(again).toEqual(first);
		expect(club.sentTo(anna.id)).toHaveLength(1);
		// A different peer or random_id is a different message.
		const boris = vk.createUser({ first_name: 'Boris' });
		boris.write(club.id, 'me too');
		expect((await send({ peer_id: boris.id, random_id: 777, message: 'x' })).response).not.toBe(
			first.response,
		);
		expect((await send({ peer_id: anna.id, random_id: 778, message: 'x' })).response).not.toBe(
			first.response,
		);
	});

	it('forgets a random_id after a configured window (injectable clock)', async () => {
		const windowed = await startVkEmulator({ clock, randomIdWindowMs: 60_000 });
		try {
			const shop = windowed.createCommunity();
			const user = windowed.createUser();
			user.write(shop.id, 'hi');
			const call = () =>
				callApi(windowed.url, 'messages.send', {
					v: '5.199',
					access_token: shop.token,
					peer_id: user.id,
					random_id: 9,
					message: 'x',
				});
			const first = await call();
			clock.advance(59_999);
			expect(await call()).toEqual(first);
			clock.advance(1);
			expect((await call()).response).not.toBe(first.response);
			expect(shop.sentTo(user.id)).toHaveLength(2);
		} finally {
			await windowed.close();
		}
	});

	it('fails with 914 above the message length limit (schema maxLength 9000; configurable)', async () => {
		anna.write(club.id, 'Hello!');
		expect(await send({ peer_id: anna.id, random_id: 1, message: 'a'.repeat(9000) })).toHaveProperty(
			'response',
		);
		expect((await send({ peer_id: anna.id, random_id: 2, message: 'a'.repeat(9001) })).error).toMatchObject({
			error_code: 914,
			error_msg: 'Message is too long',
		});
		const strict = await startVkEmulator({ maxMessageLength: 4096 });
		try {
			const shop = strict.createCommunity();
			const user = strict.createUser();
			user.write(shop.id, 'hi');
			const result = await callApi(strict.url, 'messages.send', {
				v: '5.199',
				access_token: shop.token,
				peer_id: user.id,
				random_id: 1,
				message: 'a'.repeat(4097),
			});
			expect(result.error).toMatchObject({ error_code: 914 });
		} finally {
			await strict.close();
		}
	});

	it('stores attachments and a keyboard; rejects a malformed keyboard with 911', async () => {
		anna.write(club.id, 'Hello!');
		const keyboard = {
			one_time: false,
			inline: true,
			buttons: [
				[{ action: { type: 'callback', label: 'Track order', payload: '{"order":"42"}' }, color: 'primary' }],
			],
		};
		await send({
			peer_id: anna.id,
			random_id: 1,
			message: 'Receipt',
			attachment: 'photo-1_456239017,doc-1_2_ab12',
			keyboard: JSON.stringify(keyboard),
		});
		expect(club.sentTo(anna.id)[0]).toMatchObject({
			attachments: [
				{ type: 'photo', photo: { owner_id: -1, id: 456239017 } },
				{ type: 'doc', doc: { owner_id: -1, id: 2, access_key: 'ab12' } },
			],
			keyboard,
		});
		const bad = await send({ peer_id: anna.id, random_id: 2, message: 'x', keyboard: '{"buttons":"nope"}' });
		expect(bad.error).toMatchObject({ error_code: 911, error_msg: 'Keyboard format is invalid' });
	});

	it('answers peer_ids with an array of per-peer results, errors included', async () => {
		anna.write(club.id, 'Hello!');
		const silent = vk.createUser();
		const result = await send({ peer_ids: `${anna.id},${silent.id}`, random_id: 31, message: 'Sale!' });
		expect(result.response).toEqual([
			{ peer_id: anna.id, message_id: expect.any(Number), conversation_message_id: 2 },
			{
				peer_id: silent.id,
				error: { code: 901, description: "Can't send messages for users without permission" },
			},
		]);
	});

	it('follows message_deny / message_allow (channels.md §3.4)', async () => {
		anna.write(club.id, 'Hello!');
		anna.deny(club.id);
		expect((await send({ peer_id: anna.id, random_id: 1, message: 'promo' })).error).toMatchObject({
			error_code: 901,
		});
		anna.allow(club.id, 'subscribe-widget');
		expect(await send({ peer_id: anna.id, random_id: 2, message: 'promo' })).toHaveProperty('response');
	});

	it('reports the community’s own sends as message_reply events', async () => {
		anna.write(club.id, 'Hello!');
		const sent = await send({ peer_id: anna.id, random_id: 3, message: 'Reply' });
		const reply = vk.events.find((e) => e.type === 'message_reply');
		expect(reply).toMatchObject({
			group_id: club.id,
			v: '5.199',
			object: { id: sent.response, out: 1, text: 'Reply' },
		});
	});

	it('returns history via messages.getHistory and conversations via messages.getConversations', async () => {
		anna.write(club.id, 'one');
		await send({ peer_id: anna.id, random_id: 1, message: 'two' });
		const history = await callApi(vk.url, 'messages.getHistory', {
			v: '5.199',
			access_token: club.token,
			peer_id: anna.id,
		});
		expect(history.response).toMatchObject({
			count: 2,
			items: [
				{ text: 'two', out: 1 },
				{ text: 'one', out: 0 },
			],
		});
		const conversations = await callApi(vk.url, 'messages.getConversations', {
			v: '5.199',
			access_token: club.token,
		});
		expect(conversations.response).toMatchObject({
			count: 1,
			items: [
				{
					conversation: { peer: { id: anna.id, type: 'user' }, can_write: { allowed: true } },
					last_message: { text: 'two' },
				},
			],
		});
	});

	it('answers callback buttons with messages.sendMessageEventAnswer (channels.md §3.4 message_event)', async () => {
		anna.write(club.id, 'Hello!');
		const eventId = anna.pressButton(club.id, { payload: { order: '42' } });
		const answer = await callApi(vk.url, 'messages.sendMessageEventAnswer', {
			v: '5.199',
			access_token: club.token,
			event_id: eventId,
			user_id: anna.id,
			peer_id: anna.id,
			event_data: JSON.stringify({ type: 'show_snackbar', text: 'Order 42 is on its way' }),
		});
		expect(answer).toEqual({ response: 1 });
		expect(club.eventAnswers).toEqual([
			{
				event_id: eventId,
				user_id: anna.id,
				peer_id: anna.id,
				event_data: { type: 'show_snackbar', text: 'Order 42 is on its way' },
			},
		]);
	});

	it('resolves users with users.get, 113 when none is known', async () => {
		const profiles = await callApi(vk.url, 'users.get', {
			v: '5.199',
			access_token: club.token,
			user_ids: `${anna.id},id999`,
		});
		expect(profiles.response).toEqual([
			{ id: anna.id, first_name: 'Anna', last_name: 'Smirnova', can_access_closed: true, is_closed: false },
		]);
		expect(
			(await callApi(vk.url, 'users.get', { v: '5.199', access_token: club.token, user_ids: '999' })).error,
		).toMatchObject({
			error_code: 113,
		});
	});
});
