import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkCommunityHandle } from '../../emulators/vk/index.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from './stack.ts';

// Issue 4 end to end, webhook mode: a customer writes in Telegram, then in VK, shares a phone in
// Telegram and follows a deep link in VK → one customer, both identities, one merged timeline;
// replies go to the right chat, through the outbox.
describe('Telegram and VK conversations through webhooks', () => {
	let stack: ChannelStack;
	let club: VkCommunityHandle;
	let tgConnection: string;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
		club = stack.vk.createCommunity({ name: 'Nitka shop' });
	});
	afterAll(async () => {
		await stack.close();
	});

	it('connects a Telegram bot by token: getMe, then setWebhook with a random secret', async () => {
		const bad = await stack.api('POST', '/connections', {
			channel: 'telegram',
			token: '123:not-a-real-token-at-all',
		});
		expect(bad.status).toBe(400);
		expect(bad.type).toContain('application/problem+json');
		const invalid = await stack.api('POST', '/connections', { channel: 'telegram' });
		expect(invalid.status).toBe(400);

		const connected = await stack.api<{ connection: { id: string; name: string }; mode: string }>(
			'POST',
			'/connections',
			{ channel: 'telegram', token: stack.tg.token },
		);
		expect(connected.status).toBe(201);
		expect(connected.body.mode).toBe('webhook');
		tgConnection = connected.body.connection.id;
		const hook = stack.tg.bot().webhook;
		expect(hook?.url).toBe(`${stack.server.url}/hooks/telegram/${tgConnection}`);
		expect(hook?.secretToken).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
		expect(JSON.stringify(connected.body)).not.toContain(stack.tg.token);
	});

	it('connects a VK community: groups.getById, Callback server confirmed with its code', async () => {
		const connected = await stack.api<{ connection: { id: string; name: string }; mode: string }>(
			'POST',
			'/connections',
			{ channel: 'vk', token: club.token },
		);
		expect(connected.status).toBe(201);
		expect(connected.body.connection.name).toBe('Nitka shop');
		const server = await eventually(() =>
			[...club.community.callbackServers.values()].find((s) => s.status === 'ok'),
		);
		expect(server.url).toBe(`${stack.server.url}/hooks/vk/${connected.body.connection.id}`);
	});

	it('joins Telegram, VK, a shared phone and a VK deep link into one customer and one timeline', async () => {
		const anna = stack.tg.user({ id: 5_001, first_name: 'Anna', last_name: 'K' });
		anna.sendText('Hello from Telegram');
		await stack.tg.webhookIdle();
		const fromTelegram = await customerBy(stack, 'telegram', '5001');

		const vkAnna = stack.vk.createUser({ first_name: 'Anna' });
		vkAnna.write(club.id, { text: 'Hello from VK', attachments: [vkAnna.attach.photo()] });
		const fromVk = await customerBy(stack, 'vk', String(vkAnna.id));
		expect(fromVk.id).not.toBe(fromTelegram.id);

		anna.shareOwnContact('+7 999 123-45-67');
		await stack.tg.webhookIdle();
		await eventually(async () => {
			const c = await stack.api<{ identities: { type: string; verified: boolean }[] }>(
				'GET',
				`/customers/${fromTelegram.id}`,
			);
			return c.body.identities.some((i) => i.type === 'phone' && i.verified);
		});

		const link = await stack.api<{ token: string; links: { channel: string; url: string }[] }>(
			'POST',
			'/links',
			{
				customerId: fromTelegram.id,
			},
		);
		expect(link.status).toBe(201);
		expect(link.body.token).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
		expect(link.body.links.map((l) => l.url)).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^https:\/\/t\.me\/\w+\?start=/),
				`https://vk.me/club${club.id}?ref=${link.body.token}`,
			]),
		);
		vkAnna.followLink(club.id, { ref: link.body.token, ref_source: 'site' });
		vkAnna.write(club.id, 'I followed the link from the shop');

		const merged = await eventually(async () => {
			const c = await stack.api<{ id: string; identities: { type: string; value: string }[] }>(
				'GET',
				`/customers/${fromVk.id}`,
			);
			return c.body.id === fromTelegram.id ? c.body : undefined;
		});
		expect(merged.identities.map((i) => i.type).sort()).toEqual(['phone', 'telegram', 'vk']);

		const events = await timeline(stack, fromTelegram.id);
		const messages = events
			.filter((e) => e.type === 'message.in')
			.map((e) => `${e.channel}:${e.data.text ?? ''}`);
		expect(messages).toEqual(
			expect.arrayContaining([
				'telegram:Hello from Telegram',
				'vk:Hello from VK',
				'vk:I followed the link from the shop',
			]),
		);
		expect(events.some((e) => e.type === 'customer.merged')).toBe(true);
		expect(events.some((e) => e.type === 'identity.linked' && e.data.method === 'deep-link')).toBe(true);
		const photo = events.find(
			(e) => e.type === 'message.in' && e.channel === 'vk' && e.data.text === 'Hello from VK',
		);
		expect(photo?.data.attachments).toEqual([
			// The ref is the largest size's URL from the message object (the media proxy's source).
			expect.objectContaining({ kind: 'photo', ref: expect.stringMatching(/photo\d+_\d+_x\.jpg$/) }),
		]);

		// The token is single-use: a second person following it stays a stranger.
		const other = stack.vk.createUser({ first_name: 'Boris' });
		other.followLink(club.id, { ref: link.body.token });
		other.write(club.id, 'me too');
		const boris = await customerBy(stack, 'vk', String(other.id));
		expect(boris.id).not.toBe(fromTelegram.id);

		// One conversation across channels; a reply goes where she last wrote from (VK).
		const conversation = await stack.api<{ lastChannel: string; chats: unknown[]; status: string }>(
			'GET',
			`/customers/${fromTelegram.id}/conversation`,
		);
		expect(conversation.body).toMatchObject({ lastChannel: 'vk', status: 'open' });
		expect(conversation.body.chats).toHaveLength(2);

		const reply = await stack.api<{ channel: string; chatId: string }>(
			'POST',
			`/customers/${fromTelegram.id}/replies`,
			{
				text: 'Thank you, Anna!',
				author: 'operator-7',
			},
		);
		expect(reply.status).toBe(202);
		expect(reply.body).toMatchObject({ channel: 'vk', chatId: String(vkAnna.id) });
		await eventually(() => club.sentTo(vkAnna.id).find((m) => m.text === 'Thank you, Anna!'));

		const toTelegram = await stack.api('POST', `/customers/${fromTelegram.id}/replies`, {
			text: 'Also here in Telegram',
			channel: 'telegram',
		});
		expect(toTelegram.status).toBe(202);
		await eventually(() => anna.received.find((m) => m.text === 'Also here in Telegram'));

		const after = await stack.api<{ status: string; firstResponseSeconds: number | null }>(
			'GET',
			`/customers/${fromTelegram.id}/conversation`,
		);
		expect(after.body.status).toBe('pending');
		expect(after.body.firstResponseSeconds).not.toBeNull();
		expect(club.sentTo(other.id)).toHaveLength(0);
	});

	it('ignores redeliveries and answers 401 to a wrong or missing secret without storing', async () => {
		const ivan = stack.tg.user({ id: 5_002, first_name: 'Ivan' });
		const update = ivan.sendText('once');
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '5002');
		const hook = stack.tg.bot().webhook!;
		const post = (secret: string | undefined) =>
			fetch(hook.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
				},
				body: JSON.stringify(update),
			});
		expect((await post(hook.secretToken)).status).toBe(200);
		expect((await post(hook.secretToken)).status).toBe(200);
		const wrong = await post('wrong-secret');
		expect(wrong.status).toBe(401);
		expect(wrong.headers.get('content-type')).toContain('application/problem+json');
		expect((await post(undefined)).status).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const events = await timeline(stack, customer.id);
		expect(events.filter((e) => e.type === 'message.in')).toHaveLength(1);

		// VK: the same event_id twice is stored once; a wrong secret in the body is refused.
		const vkUser = stack.vk.createUser({ first_name: 'Vera' });
		vkUser.write(club.id, 'vk once');
		await stack.vk.callbacks.idle();
		const vera = await customerBy(stack, 'vk', String(vkUser.id));
		const envelope = stack.vk.events.at(-1)!;
		const url = [...club.community.callbackServers.values()][0]!.url;
		const send = (secret: string) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ ...envelope, secret }),
			});
		const again = await send(club.community.callbackServers.values().next().value!.secret_key);
		expect(again.status).toBe(200);
		expect(await again.text()).toBe('ok');
		expect((await send('nope')).status).toBe(401);
		expect((await timeline(stack, vera.id)).filter((e) => e.type === 'message.in')).toHaveLength(1);
	});

	it('connects MAX by webhook subscription with a secret header, and ignores a forged delivery', async () => {
		const connected = await stack.api<{ connection: { id: string }; mode: string }>('POST', '/connections', {
			channel: 'max',
			token: stack.max.token,
		});
		expect(connected.body.mode).toBe('webhook');
		const subscription = stack.max.state.subscriptions[0];
		expect(subscription?.url).toBe(`${stack.server.url}/hooks/max/${connected.body.connection.id}`);
		const user = stack.max.user({ user_id: 8_101, first_name: 'Timur' });
		const update = user.sendText('MAX via webhook');
		await stack.max.webhookIdle();
		const customer = await customerBy(stack, 'max', '8101');
		const forged = await fetch(subscription!.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-max-bot-api-secret': 'forged-secret' },
			body: JSON.stringify(update),
		});
		expect(forged.status).toBe(401);
		const events = await timeline(stack, customer.id);
		expect(events.filter((e) => e.type === 'message.in').map((e) => e.data.text)).toEqual([
			'MAX via webhook',
		]);
		const gone = await stack.api('DELETE', `/connections/${connected.body.connection.id}`);
		expect(gone.status).toBe(200);
		expect(stack.max.state.subscriptions).toHaveLength(0);
	});

	it('covers every Telegram inbound kind: media, location, edits, button presses, block and unblock', async () => {
		const olga = stack.tg.user({ id: 5_003, first_name: 'Olga' });
		olga.sendPhoto({ caption: 'this one' });
		olga.sendDocument({ fileName: 'invoice.pdf' });
		olga.sendVoice();
		olga.sendSticker({ emoji: '🙂' });
		olga.sendLocation(55.75, 37.61);
		olga.sendText('typo');
		olga.editMessage(6, 'fixed');
		olga.blockBot();
		olga.unblockBot();
		await stack.tg.webhookIdle();
		const customer = await customerBy(stack, 'telegram', '5003');
		const events = await eventually(async () => {
			const list = await timeline(stack, customer.id);
			// The last update stored is the unblock; counting events alone raced with it.
			return list.length >= 9 && list.some((e) => e.type === 'channel.unblocked') ? list : undefined;
		});
		const kinds = events.flatMap((e) =>
			((e.data.attachments as { kind: string }[] | undefined) ?? []).map((a) => a.kind),
		);
		expect(kinds.sort()).toEqual(['document', 'photo', 'sticker', 'voice']);
		expect(
			events.some((e) => (e.data.location as { latitude: number } | undefined)?.latitude === 55.75),
		).toBe(true);
		expect(events.some((e) => e.data.editOf === '6' && e.data.text === 'fixed')).toBe(true);
		expect(events.map((e) => e.type)).toEqual(
			expect.arrayContaining(['channel.blocked', 'channel.unblocked']),
		);

		// The media proxy streams the photo from Telegram with the bot's token kept server-side.
		const photo = events.find(
			(e) => (e.data.attachments as { kind: string }[] | undefined)?.[0]?.kind === 'photo',
		) as { id?: string } | undefined;
		const proxied = await stack.api<string>('GET', `/events/${(photo as { id: string }).id}/attachments/0`);
		expect(proxied.status).toBe(200);
		expect(proxied.type).toBe('image/jpeg');
		expect(proxied.body).toBe('emulated photo');
	});
});
