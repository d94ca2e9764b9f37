import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkCommunityHandle } from '../../emulators/vk/index.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from './stack.ts';

// No PUBLIC_URL: a local install behind NAT. Telegram getUpdates, VK Bots Long Poll and MAX
// GET /updates feed the same durable inbox as webhooks do.
describe('long-poll mode for Telegram, VK and MAX', () => {
	let stack: ChannelStack;
	let club: VkCommunityHandle;
	const connections: Record<string, string> = {};

	beforeAll(async () => {
		stack = await startChannelStack({ public: false });
		club = stack.vk.createCommunity({ name: 'NAT shop' });
		for (const [channel, token] of [
			['telegram', stack.tg.token],
			['vk', club.token],
			['max', stack.max.token],
		] as const) {
			const connected = await stack.api<{ connection: { id: string }; mode: string }>(
				'POST',
				'/connections',
				{
					channel,
					token,
				},
			);
			expect(connected.status).toBe(201);
			expect(connected.body.mode).toBe('polling');
			connections[channel] = connected.body.connection.id;
		}
		expect(stack.tg.bot().webhook).toBeUndefined();
	});
	afterAll(async () => {
		await stack.close();
	});

	it('receives Telegram updates by getUpdates and answers in the same chat', async () => {
		const user = stack.tg.user({ id: 7_001, first_name: 'Denis' });
		user.sendText('polling works?');
		const customer = await customerBy(stack, 'telegram', '7001');
		await stack.api('POST', `/customers/${customer.id}/replies`, { text: 'it does' });
		await eventually(() => user.received.find((m) => m.text === 'it does'));
		// The offset moved past the stored update only: Telegram holds nothing unconfirmed for us.
		await eventually(() => stack.tg.bot().updates.pending.length === 0);
	});

	it('receives VK events by Bots Long Poll, including deny and allow', async () => {
		const vkUser = stack.vk.createUser({ first_name: 'Maria' });
		vkUser.write(club.id, 'VK over long poll');
		const customer = await customerBy(stack, 'vk', String(vkUser.id));
		vkUser.deny(club.id);
		await eventually(async () =>
			(await timeline(stack, customer.id)).some((e) => e.type === 'channel.blocked'),
		);
		expect((await stack.api('POST', `/customers/${customer.id}/replies`, { text: 'x' })).status).toBe(409);
		vkUser.allow(club.id);
		await eventually(
			async () =>
				(await stack.api('POST', `/customers/${customer.id}/replies`, { text: 'welcome' })).status === 202,
		);
		await eventually(() => club.sentTo(vkUser.id).find((m) => m.text === 'welcome'));
	});

	it('links a MAX user by the start payload of a deep link and replies in MAX', async () => {
		const tgUser = stack.tg.user({ id: 7_002, first_name: 'Sofia' });
		tgUser.sendText('I am Sofia');
		const known = await customerBy(stack, 'telegram', '7002');
		const link = await stack.api<{ token: string; links: { channel: string; url: string }[] }>(
			'POST',
			'/links',
			{
				customerId: known.id,
				ttlSeconds: 600,
			},
		);
		expect(link.body.links.find((l) => l.channel === 'max')?.url).toBe(
			`https://max.ru/nitka_test_bot?start=${link.body.token}`,
		);
		const maxUser = stack.max.user({ user_id: 8_001, first_name: 'Sofia' });
		maxUser.start(link.body.token);
		maxUser.sendText('hello from MAX');
		const linked = await eventually(async () => {
			const c = await customerBy(stack, 'max', '8001');
			return c.id === known.id ? c : undefined;
		});
		expect(linked.identities.map((i) => i.type).sort()).toEqual(['max', 'telegram']);
		const reply = await stack.api<{ channel: string }>('POST', `/customers/${known.id}/replies`, {
			text: 'Hi Sofia',
		});
		expect(reply.body.channel).toBe('max');
		await eventually(() => maxUser.received.find((m) => m.body.text === 'Hi Sofia'));

		// bot_stopped blocks the chat; the next send is refused before it reaches MAX.
		maxUser.stop();
		await eventually(async () =>
			(await timeline(stack, known.id)).some((e) => e.type === 'channel.blocked' && e.channel === 'max'),
		);
		expect(
			(await stack.api('POST', `/customers/${known.id}/replies`, { text: 'x', channel: 'max' })).status,
		).toBe(409);
	});

	it('disconnects: polling stops and the connection is marked disconnected', async () => {
		const gone = await stack.api<{ status: string }>('DELETE', `/connections/${connections.telegram}`);
		expect(gone.status).toBe(200);
		expect(gone.body.status).toBe('disconnected');
		expect((await stack.api('DELETE', `/connections/${connections.telegram}`)).status).toBe(409);
		const user = stack.tg.user({ id: 7_003, first_name: 'Late' });
		user.sendText('anyone?');
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(stack.tg.bot().updates.pending.length).toBe(1);
	});
});
