import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator } from './index.ts';
import { callApi, startReceiver } from './test-receiver.ts';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

// Samples: channels.md §3.4 (Callback API envelope, confirmation, `ok`, X-Retry-Counter, Retry-After).
describe('Callback API (channels.md §3.4)', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	let receiver: Receiver | undefined;

	beforeEach(async () => {
		vk = await startVkEmulator({ callback: { maxAttempts: 4, retryDelayMs: 5 } });
		club = vk.createCommunity();
	});
	afterEach(async () => {
		await vk.close();
		await receiver?.close();
		receiver = undefined;
	});

	it('confirms a server with {"type":"confirmation","group_id"} and expects the code as the raw body', async () => {
		receiver = await startReceiver(club.confirmationCode);
		const { status } = await club.registerCallbackServer(receiver.url);
		expect(status).toBe('ok');
		expect(receiver.received[0]?.body).toEqual({
			type: 'confirmation',
			group_id: club.id,
			secret: club.secret,
		});
	});

	it('marks the server failed when it answers something else, and sends it no events', async () => {
		receiver = await startReceiver('not-the-code');
		const { status } = await club.registerCallbackServer(receiver.url);
		expect(status).toBe('failed');
		vk.createUser().write(club.id, 'hello');
		await vk.callbacks.idle();
		expect(receiver.events()).toHaveLength(0);
	});

	it('registers through groups.addCallbackServer + setCallbackSettings and reports status via getCallbackServers', async () => {
		receiver = await startReceiver(club.confirmationCode);
		const call = (method: string, params: Record<string, string | number>) =>
			callApi(vk.url, method, { v: '5.199', access_token: club.token, group_id: club.id, ...params });
		const code = await call('groups.getCallbackConfirmationCode', {});
		expect(code).toEqual({ response: { code: club.confirmationCode } });
		const added = await call('groups.addCallbackServer', {
			url: receiver.url,
			title: 'nitka',
			secret_key: 's3cret',
		});
		expect(added).toEqual({ response: { server_id: 1 } });
		// The handshake runs in the background; the status turns `ok` once the code came back.
		await expect
			.poll(async () => (await call('groups.getCallbackServers', {})).response)
			.toEqual({
				count: 1,
				items: [
					{ id: 1, title: 'nitka', creator_id: 0, url: receiver.url, secret_key: 's3cret', status: 'ok' },
				],
			});
		expect(
			await call('groups.setCallbackSettings', {
				server_id: 1,
				api_version: '5.199',
				message_new: 1,
				message_deny: 1,
			}),
		).toEqual({
			response: 1,
		});
		const user = vk.createUser();
		user.write(club.id, 'hi');
		user.deny(club.id);
		await vk.callbacks.idle();
		expect(receiver.events().map((e) => [e.body.type, e.body.secret])).toEqual([
			['message_new', 's3cret'],
			['message_deny', 's3cret'],
		]);
	});

	it('enforces title ≤ 14 and at most 10 servers (error 2000)', async () => {
		const call = (params: Record<string, string | number>) =>
			callApi(vk.url, 'groups.addCallbackServer', {
				v: '5.199',
				access_token: club.token,
				group_id: club.id,
				...params,
			});
		expect((await call({ url: 'http://127.0.0.1:9/x', title: 'a'.repeat(15) })).error).toMatchObject({
			error_code: 100,
		});
		for (let i = 0; i < 10; i++)
			expect(await call({ url: 'http://127.0.0.1:9/x', title: `s${i}` })).toHaveProperty('response');
		expect((await call({ url: 'http://127.0.0.1:9/x', title: 'eleventh' })).error).toMatchObject({
			error_code: 2000,
			error_msg: 'Servers number limit is reached',
		});
	});

	it('posts {type, event_id, v, object, group_id, secret} and stops at plain `ok`', async () => {
		receiver = await startReceiver(club.confirmationCode);
		await club.registerCallbackServer(receiver.url);
		const user = vk.createUser({ first_name: 'Anna' });
		const message = user.write(club.id, 'Where is my order?');
		await vk.callbacks.idle();
		const [event] = receiver.events();
		expect(Object.keys(event?.body ?? {}).sort()).toEqual([
			'event_id',
			'group_id',
			'object',
			'secret',
			'type',
			'v',
		]);
		expect(event?.body).toMatchObject({
			type: 'message_new',
			event_id: expect.stringMatching(/^[0-9a-f]+$/),
			v: '5.199',
			group_id: club.id,
			secret: club.secret,
			object: {
				message: { id: message.id, from_id: user.id, peer_id: user.id, text: 'Where is my order?', out: 0 },
				client_info: {
					keyboard: true,
					inline_keyboard: true,
					button_actions: expect.arrayContaining(['callback']),
				},
			},
		});
		expect(event?.headers['x-retry-counter']).toBeUndefined();
		expect(vk.callbacks.deliveries.filter((d) => d.type === 'message_new')).toMatchObject([
			{ attempt: 1, outcome: 'ok' },
		]);
	});

	it('resends a non-`ok` answer with X-Retry-Counter, a bounded number of times, same event_id', async () => {
		receiver = await startReceiver(club.confirmationCode, (received, res) => {
			if (received.body.type === 'confirmation') return res.end(club.confirmationCode);
			res.writeHead(500).end('oops');
		});
		await club.registerCallbackServer(receiver.url);
		vk.createUser().write(club.id, 'hello');
		await vk.callbacks.idle();
		const events = receiver.events();
		expect(events.map((e) => e.headers['x-retry-counter'])).toEqual([undefined, '1', '2', '3']);
		expect(new Set(events.map((e) => e.body.event_id)).size).toBe(1);
		expect(vk.callbacks.deliveries.map((d) => d.outcome)).toEqual([
			'rejected',
			'rejected',
			'rejected',
			'rejected',
		]);
	});

	it('treats a 200 with a body other than `ok` as a failure and retries until `ok`', async () => {
		let calls = 0;
		receiver = await startReceiver(club.confirmationCode, (received, res) => {
			if (received.body.type === 'confirmation') return res.end(club.confirmationCode);
			calls += 1;
			res.end(calls < 3 ? 'OK, thanks' : 'ok');
		});
		await club.registerCallbackServer(receiver.url);
		vk.createUser().write(club.id, 'hello');
		await vk.callbacks.idle();
		expect(receiver.events().map((e) => e.headers['x-retry-counter'])).toEqual([undefined, '1', '2']);
	});

	it('honours Retry-After on 503 instead of its own backoff', async () => {
		const slow = await startVkEmulator({ callback: { maxAttempts: 2, retryDelayMs: 600_000 } });
		const shop = slow.createCommunity();
		receiver = await startReceiver(shop.confirmationCode, (received, res) => {
			if (received.body.type === 'confirmation') return res.end(shop.confirmationCode);
			if (received.headers['x-retry-counter'] === undefined)
				return res.writeHead(503, { 'retry-after': '0' }).end();
			res.end('ok');
		});
		try {
			await shop.registerCallbackServer(receiver.url);
			slow.createUser().write(shop.id, 'hello');
			await slow.callbacks.idle(); // would take 10 minutes if Retry-After were ignored
			expect(slow.callbacks.deliveries.map((d) => [d.status, d.outcome])).toEqual([
				[503, 'rejected'],
				[200, 'ok'],
			]);
		} finally {
			await slow.close();
		}
	});

	it('drops a delivery on a `drop` fault, and delivers the next event', async () => {
		receiver = await startReceiver(club.confirmationCode);
		await club.registerCallbackServer(receiver.url);
		vk.faults.add({ match: 'message_new', fault: { kind: 'drop' }, times: 1 });
		const user = vk.createUser();
		user.write(club.id, 'lost');
		user.write(club.id, 'delivered');
		await vk.callbacks.idle();
		expect(
			receiver.events().map((e) => (e.body.object as { message: { text: string } }).message.text),
		).toEqual(['delivered']);
		expect(vk.callbacks.deliveries.map((d) => d.outcome)).toEqual(['dropped', 'ok']);
	});

	it('renders objects in the server’s api_version (message_new before 5.103 carries the bare message)', async () => {
		receiver = await startReceiver(club.confirmationCode);
		await club.registerCallbackServer(receiver.url, { apiVersion: '5.92', secret: '' });
		vk.createUser().write(club.id, 'old style');
		await vk.callbacks.idle();
		const [event] = receiver.events();
		expect(event?.body).toMatchObject({ v: '5.92', object: { text: 'old style' } });
		expect(event?.body).not.toHaveProperty('secret');
	});
});
