import { Agent, createServer } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MessageContext, VK } from 'vk-io';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator } from './index.ts';

// Fidelity proof: vk-io 4.10.1, unmodified, against the emulator (channels.md §3.6: `apiBaseUrl`,
// `pollingGroupId`; requests are urlencoded POSTs to `${apiBaseUrl}/${method}`). vk-io's default
// `agent` is an https.Agent; the emulator speaks plain HTTP on loopback, so tests pass an http.Agent.
// vk-io types `agent` as https.Agent although node-fetch accepts either; plain HTTP needs an http.Agent.
const agent = new Agent({ keepAlive: true }) as unknown as HttpsAgent;

describe('vk-io 4.10.1 against the emulator (channels.md §3.6)', () => {
	let emulator: VkEmulator;
	let club: VkCommunityHandle;
	let vk: VK;

	beforeEach(async () => {
		emulator = await startVkEmulator();
		club = emulator.createCommunity({ name: 'Nitka shop' });
		// apiLimit raised to the community ceiling (vk-io's default is 3/s, §3.6).
		vk = new VK({
			token: club.token,
			apiBaseUrl: emulator.apiBaseUrl,
			apiLimit: 20,
			pollingGroupId: club.id,
			agent,
		});
	});
	afterEach(async () => {
		await vk.updates.stop();
		await emulator.close();
	});

	it('reads the community with groups.getById (5.199 object shape)', async () => {
		const { groups } = await vk.api.groups.getById({});
		expect(groups[0]).toMatchObject({ id: club.id, name: 'Nitka shop' });
		const request = emulator.requests.filter((r) => r.path === '/method/groups.getById')[0];
		expect(request?.body).toMatchObject({ access_token: club.token, v: '5.199' });
	});

	it('sends with messages.send and surfaces VK errors as APIError', async () => {
		const user = emulator.createUser();
		await expect(
			vk.api.messages.send({ peer_id: user.id, message: 'hi', random_id: 1 }),
		).rejects.toMatchObject({
			code: 901,
			message: expect.stringContaining("Can't send messages for users without permission"),
		});
		user.write(club.id, 'Hello');
		const id = await vk.api.messages.send({ peer_id: user.id, message: 'Hi there', random_id: 2 });
		expect(typeof id).toBe('number');
		expect(club.sentTo(user.id)).toMatchObject([{ id, text: 'Hi there' }]);
	});

	it('receives a user’s message_new over Bots Long Poll, ref included (channels.md §3.7)', async () => {
		const received: MessageContext[] = [];
		vk.updates.on('message_new', (context) => {
			received.push(context);
		});
		await vk.updates.startPolling();
		const user = emulator.createUser({ first_name: 'Anna' });
		user.followLink(club.id, { ref: 'order-42', ref_source: 'receipt' });
		user.write(club.id, { text: 'Where is my order?', attachments: [user.attach.photo()] });
		await expect.poll(() => received.length, { timeout: 5_000 }).toBe(1);
		const [context] = received;
		expect(context?.senderId).toBe(user.id);
		expect(context?.text).toBe('Where is my order?');
		expect(context?.referralValue).toBe('order-42');
		expect(context?.referralSource).toBe('receipt');
		expect(context?.hasAttachments('photo')).toBe(true);
		expect(context?.clientInfo).toMatchObject({ keyboard: true });
	});

	it('batches messages.send through execute in parallel_selected mode', async () => {
		const batched = new VK({
			token: club.token,
			apiBaseUrl: emulator.apiBaseUrl,
			apiLimit: 20,
			apiMode: 'parallel_selected',
			agent,
		});
		const users = [emulator.createUser(), emulator.createUser(), emulator.createUser()];
		for (const user of users) user.write(club.id, 'hi');
		const ids = await Promise.all(
			users.map((u, i) => batched.api.messages.send({ peer_id: u.id, message: `n${i}`, random_id: 100 + i })),
		);
		expect(ids.every((id) => typeof id === 'number')).toBe(true);
		expect(emulator.requests.filter((r) => r.path === '/method/execute').length).toBeGreaterThan(0);
		for (const [i, user] of users.entries()) expect(club.sentTo(user.id)).toMatchObject([{ text: `n${i}` }]);
	});

	it('delivers Callback API events that vk-io’s own webhook handler confirms, authenticates and accepts (§3.4, §3.6)', async () => {
		const hook = new VK({
			token: club.token,
			apiBaseUrl: emulator.apiBaseUrl,
			agent,
			webhookConfirmation: club.confirmationCode,
			webhookSecret: club.secret,
		});
		const texts: string[] = [];
		hook.updates.on('message_new', (context) => {
			texts.push(context.text ?? '');
		});
		const callback = hook.updates.getWebhookCallback();
		const server = createServer((req, res) => void callback(req, res, () => res.writeHead(404).end()));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as AddressInfo;
			const { status } = await club.registerCallbackServer(`http://127.0.0.1:${port}/vk`);
			expect(status).toBe('ok');
			emulator.createUser().write(club.id, 'via callback');
			await emulator.callbacks.idle();
			expect(emulator.callbacks.deliveries).toMatchObject([
				{ type: 'message_new', outcome: 'ok', status: 200 },
			]);
			await expect.poll(() => texts).toEqual(['via callback']);
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('fails the handshake when vk-io’s webhook handler refuses the secret (403)', async () => {
		const hook = new VK({
			token: club.token,
			agent,
			webhookConfirmation: club.confirmationCode,
			webhookSecret: 'other',
		});
		const callback = hook.updates.getWebhookCallback();
		const server = createServer((req, res) => void callback(req, res, () => res.writeHead(404).end()));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as AddressInfo;
			// The handshake itself carries the secret, so vk-io refuses it too.
			const { status } = await club.registerCallbackServer(`http://127.0.0.1:${port}/vk`);
			expect(status).toBe('failed');
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
