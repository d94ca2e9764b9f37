import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkCommunityHandle } from '../../emulators/vk/index.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from './stack.ts';

// VK puts media URLs in the message object; the media proxy streams them to the host UIs.
describe('VK attachments through the media proxy', () => {
	let stack: ChannelStack;
	let club: VkCommunityHandle;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
		club = stack.vk.createCommunity({ name: 'Media shop' });
		const connected = await stack.api('POST', '/connections', { channel: 'vk', token: club.token });
		expect(connected.status).toBe(201);
		await eventually(() => [...club.community.callbackServers.values()].some((s) => s.status === 'ok'));
	});
	afterAll(async () => {
		await stack.close();
	});

	it('streams a photo (largest size), a document and a voice message', async () => {
		const sasha = stack.vk.createUser({ first_name: 'Sasha' });
		sasha.write(club.id, {
			text: 'вот фото, счёт и голосовое',
			attachments: [
				stack.vk.downloadable.photo(sasha.id),
				stack.vk.downloadable.doc(sasha.id, 'invoice.pdf'),
				stack.vk.downloadable.voice(sasha.id),
			],
		});
		const customer = await customerBy(stack, 'vk', String(sasha.id));
		const message = await eventually(async () =>
			(await timeline(stack, customer.id)).find((e) => e.type === 'message.in'),
		);
		const id = (message as { id?: string }).id;
		const photo = await stack.api<string>('GET', `/events/${id}/attachments/0`);
		expect(photo).toMatchObject({ status: 200, type: 'image/jpeg' });
		expect(photo.body).toBe(`emulated vk file photo${sasha.id}_457239018_x.jpg`);
		const doc = await stack.api<string>('GET', `/events/${id}/attachments/1`);
		expect(doc.status).toBe(200);
		expect(doc.body).toBe(`emulated vk file doc${sasha.id}_654322.pdf`);
		const voice = await stack.api<string>('GET', `/events/${id}/attachments/2`);
		expect(voice).toMatchObject({ status: 200, type: 'audio/ogg' });
	});

	it('refuses media that is not on a VK host (no fetching of arbitrary URLs)', async () => {
		const lena = stack.vk.createUser({ first_name: 'Lena' });
		// The emulator's own stand-in URLs (emulator.invalid) are not VK's hosts.
		lena.write(club.id, { text: 'pic', attachments: [lena.attach.photo()] });
		const customer = await customerBy(stack, 'vk', String(lena.id));
		const message = await eventually(async () =>
			(await timeline(stack, customer.id)).find((e) => e.type === 'message.in'),
		);
		const answer = await stack.api('GET', `/events/${(message as { id?: string }).id}/attachments/0`);
		expect(answer.status).toBe(502);
	});
});
