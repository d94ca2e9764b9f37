import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkCommunityHandle } from '../../emulators/vk/index.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from './stack.ts';

// Staff answering inside VK (community messages UI) shows on the timeline as the community's
// message.out; Nitka's own replies, which VK reports the same way, are recorded once.
describe('VK staff replies written in VK', () => {
	let stack: ChannelStack;
	let club: VkCommunityHandle;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
		club = stack.vk.createCommunity({ name: 'Staff shop' });
		const connected = await stack.api('POST', '/connections', { channel: 'vk', token: club.token });
		expect(connected.status).toBe(201);
		await eventually(() => [...club.community.callbackServers.values()].some((s) => s.status === 'ok'));
	});
	afterAll(async () => {
		await stack.close();
	});

	it('records a staff reply once, from the community, and never sends it back', async () => {
		const vera = stack.vk.createUser({ first_name: 'Vera' });
		vera.write(club.id, 'Где мой заказ?');
		const customer = await customerBy(stack, 'vk', String(vera.id));

		// Nitka's reply: VK reports it as message_reply with Nitka's random_id.
		const reply = await stack.api('POST', `/customers/${customer.id}/replies`, { text: 'Проверяем' });
		expect(reply.status).toBe(202);
		await eventually(() => stack.vk.events.some((e) => e.type === 'message_reply'));

		// A manager answers in VK itself (the web client sends with its own random_id).
		const staff = await fetch(`${stack.vk.apiBaseUrl}/messages.send`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				access_token: club.token,
				v: '5.199',
				peer_id: String(vera.id),
				random_id: '424242',
				message: 'Заказ уже в пути',
			}),
		});
		expect(await staff.json()).toHaveProperty('response');
		await stack.vk.callbacks.idle();

		const outgoing = await eventually(async () => {
			const list = (await timeline(stack, customer.id)).filter((e) => e.type === 'message.out');
			return list.some((e) => e.data.author === 'community') ? list : undefined;
		});
		expect(outgoing.map((e) => e.data.text).sort()).toEqual(['Заказ уже в пути', 'Проверяем']);
		expect(outgoing.find((e) => e.data.author === 'community')?.data).toMatchObject({
			channel: 'vk',
			chatId: String(vera.id),
			origin: 'vk',
		});
		// Both reports were delivered and acknowledged; only Nitka's own reply was ever sent by Nitka.
		const reports = stack.vk.callbacks.deliveries.filter((d) => d.type === 'message_reply');
		expect(reports.length).toBeGreaterThanOrEqual(2);
		const sends = await stack.server.db
			.selectFrom('outbox')
			.select('kind')
			.where('tenant_id', '=', stack.tenantId)
			.where('kind', '=', 'message.send')
			.execute();
		expect(sends).toHaveLength(1);
		expect(club.community.messages.filter((m) => m.out === 1)).toHaveLength(2);

		// The answer counts as the first response of the conversation.
		const conversation = await stack.api<{ firstResponseAt: string | null }>(
			'GET',
			`/customers/${customer.id}/conversation`,
		);
		expect(conversation.body.firstResponseAt).not.toBeNull();
	});
});
