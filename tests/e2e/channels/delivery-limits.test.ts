import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkCommunityHandle } from '../../emulators/vk/index.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack } from './stack.ts';

// Outbound through the outbox: order per chat, platform ceilings held (asserted on the emulators'
// own records: their clocks and their 429 counts), long texts split, 429 / error 6 storms retried
// after the advised delay, a blocked user parked without retries.
describe('replies held to the platforms’ limits', () => {
	let stack: ChannelStack;
	let club: VkCommunityHandle;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
		club = stack.vk.createCommunity({ name: 'Limits shop' });
		expect(
			(await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token })).status,
		).toBe(201);
		expect((await stack.api('POST', '/connections', { channel: 'vk', token: club.token })).status).toBe(201);
	});
	afterAll(async () => {
		await stack.close();
	});

	const reply = (customerId: string, body: Record<string, unknown>) =>
		stack.api<{ parts: number }>('POST', `/customers/${customerId}/replies`, body);

	it('delivers a burst to one Telegram chat in order, never faster than 1 message/s, with no 429', async () => {
		const user = stack.tg.user({ id: 6_001, first_name: 'Pavel' });
		user.sendText('hi');
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '6001');
		for (let i = 1; i <= 4; i += 1)
			expect((await reply(customer.id, { text: `reply ${i}` })).status).toBe(202);
		const sent = await eventually(() => {
			const list = stack.tg.state.sentTo(6_001);
			return list.length === 4 ? list : undefined;
		}, 15_000);
		expect(sent.map((s) => s.message.text)).toEqual(['reply 1', 'reply 2', 'reply 3', 'reply 4']);
		for (let i = 1; i < sent.length; i += 1)
			expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(950);
		expect(stack.tg.state.calls.filter((c) => c.status === 429)).toHaveLength(0);
	});

	it('splits a long text at the platform limit and keeps the parts in order', async () => {
		const user = stack.tg.user({ id: 6_002, first_name: 'Lena' });
		user.sendText('send me the terms');
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '6002');
		const paragraph = `${'word '.repeat(700).trim()}.`;
		const text = [paragraph, paragraph, paragraph].join('\n\n');
		expect(text.length).toBeGreaterThan(8192);
		const answer = await reply(customer.id, { text });
		expect(answer.body.parts).toBe(3);
		const sent = await eventually(() => {
			const list = stack.tg.state.sentTo(6_002);
			return list.length === 3 ? list : undefined;
		}, 15_000);
		expect(sent.every((s) => (s.message.text ?? '').length <= 4096)).toBe(true);
		expect(sent.map((s) => s.message.text).join('\n\n')).toBe(text);
	});

	it('retries a Telegram 429 storm after retry_after, delivering each message once', async () => {
		const user = stack.tg.user({ id: 6_003, first_name: 'Gleb' });
		user.sendText('hello');
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '6003');
		stack.tg.faults.add({
			match: 'sendMessage',
			fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
			times: 3,
		});
		expect((await reply(customer.id, { text: 'after the storm' })).status).toBe(202);
		const sent = await eventually(() => stack.tg.state.sentTo(6_003)[0], 20_000);
		expect(stack.tg.state.sentTo(6_003)).toHaveLength(1);
		const calls = stack.tg.state.calls.filter(
			(c) => c.method === 'sendMessage' && c.params.chat_id === '6003',
		);
		const refused = calls.filter((c) => c.status === 429);
		expect(refused).toHaveLength(3);
		// Each retry waited at least the advised second (emulator clock).
		for (let i = 1; i < calls.length; i += 1)
			expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(990);
		expect(sent.message.text).toBe('after the storm');
	});

	it('rides out VK error 6 and error 10 without doubling the message (random_id from the job)', async () => {
		const vkUser = stack.vk.createUser({ first_name: 'Zoya' });
		vkUser.write(club.id, 'hi VK');
		const customer = await customerBy(stack, 'vk', String(vkUser.id));
		stack.vk.faults.add({ match: 'messages.send', fault: { kind: 'rate-limit' }, times: 2 });
		stack.vk.vkErrors.add('messages.send', 10, 1);
		expect((await reply(customer.id, { text: 'VK reply' })).status).toBe(202);
		await eventually(() => club.sentTo(vkUser.id).find((m) => m.text === 'VK reply'), 20_000);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(club.sentTo(vkUser.id).filter((m) => m.text === 'VK reply')).toHaveLength(1);
	});

	it('marks a blocked Telegram user unreachable: no retries, and later replies are refused', async () => {
		const user = stack.tg.user({ id: 6_004, first_name: 'Nina' });
		user.sendText('hello');
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '6004');
		// Blocked on Telegram's side before the my_chat_member update reached us: the send meets 403.
		user.chat.blocked = true;
		expect((await reply(customer.id, { text: 'are you there?' })).status).toBe(202);
		const dead = await eventually(async () => {
			const page = await stack.api<{ items: { attempts: number; lastError: string }[] }>(
				'GET',
				'/dead-letters',
			);
			return page.body.items.find((job) => job.lastError.includes('blocked'));
		}, 10_000);
		expect(dead.attempts).toBe(1);
		const conversation = await stack.api<{ chats: { reachable: boolean }[] }>(
			'GET',
			`/customers/${customer.id}/conversation`,
		);
		expect(conversation.body.chats[0]?.reachable).toBe(false);
		const refused = await reply(customer.id, { text: 'again' });
		expect(refused.status).toBe(409);
		expect(refused.type).toContain('application/problem+json');
		// She comes back: unblocking makes the chat reachable again.
		user.chat.blocked = false;
		user.sendText('sorry, I am back');
		await stack.tg.webhookIdle();
		await eventually(async () => (await reply(customer.id, { text: 'welcome back' })).status === 202);
	});

	it('refuses to echo a message into the channel it came from (loop guard) and validates input', async () => {
		const user = stack.tg.user({ id: 6_005, first_name: 'Roma' });
		user.sendText('hi');
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '6005');
		const echo = await reply(customer.id, { text: 'forwarded', origin: 'telegram' });
		expect(echo.status).toBe(409);
		const empty = await reply(customer.id, { text: '   ' });
		expect(empty.status).toBe(400);
		expect(empty.type).toContain('application/problem+json');
		const unknownChannel = await reply(customer.id, { text: 'x', channel: 'icq' });
		expect(unknownChannel.status).toBe(400);
		const noVk = await reply(customer.id, { text: 'x', channel: 'vk' });
		expect(noVk.status).toBe(409);
	});
});
