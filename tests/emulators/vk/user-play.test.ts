import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	startVkEmulator,
	type VkCommunityHandle,
	type VkEmulator,
	type VkEventEnvelope,
	type VkUser,
} from './index.ts';

const lastEvent = (vk: VkEmulator): VkEventEnvelope | undefined => vk.events.at(-1);

/** The message inside the last message_new. */
function lastMessage(vk: VkEmulator): Record<string, unknown> {
	const object = vk.events.at(-1)?.object as { message?: Record<string, unknown> } | undefined;
	if (!object?.message) throw new Error('the last event carries no message');
	return object.message;
}

// Samples: channels.md §3.4 (event objects, 5.199) and §3.7 (ref / ref_source on messages).
describe('user-play helpers produce the documented event objects', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	let user: VkUser;

	beforeEach(async () => {
		vk = await startVkEmulator();
		club = vk.createCommunity();
		user = vk.createUser({ first_name: 'Anna', last_name: 'Smirnova' });
	});
	afterEach(async () => {
		await vk.close();
	});

	it('message_new: {message, client_info} with the required message fields (§3.4)', () => {
		user.write(club.id, 'Hello');
		const event = lastEvent(vk);
		expect(event?.type).toBe('message_new');
		const object = event?.object as {
			message: Record<string, unknown>;
			client_info: Record<string, unknown>;
		};
		for (const field of [
			'id',
			'date',
			'peer_id',
			'from_id',
			'text',
			'out',
			'conversation_message_id',
			'version',
		]) {
			expect(object.message).toHaveProperty(field);
		}
		expect(object.client_info).toEqual({
			button_actions: expect.any(Array),
			keyboard: true,
			inline_keyboard: true,
			carousel: true,
			lang_id: 0,
		});
	});

	it('carries photo, doc and sticker attachments and a geo point', () => {
		user.write(club.id, {
			text: 'see attached',
			attachments: [user.attach.photo(), user.attach.doc('receipt.pdf'), user.attach.sticker(163)],
			geo: { latitude: 55.75, longitude: 37.62 },
		});
		const message = lastMessage(vk);
		expect(message.attachments).toMatchObject([
			{ type: 'photo', photo: { owner_id: user.id, sizes: expect.any(Array) } },
			{ type: 'doc', doc: { title: 'receipt.pdf', ext: 'pdf' } },
			{ type: 'sticker', sticker: { sticker_id: 163 } },
		]);
		expect(message.geo).toEqual({ type: 'point', coordinates: { latitude: 55.75, longitude: 37.62 } });
	});

	it('puts ref / ref_source of a followed link on the next message only (§3.7)', () => {
		user.followLink(club.id, { ref: 'tok_abc123', ref_source: 'qr_counter' });
		user.write(club.id, 'first');
		user.write(club.id, 'second');
		const [first, second] = vk.events.map((e) => (e.object as { message: Record<string, unknown> }).message);
		expect(first).toMatchObject({ ref: 'tok_abc123', ref_source: 'qr_counter' });
		expect(second).not.toHaveProperty('ref');
	});

	it('message_event: {user_id, peer_id, event_id, payload, conversation_message_id} (§3.4)', () => {
		user.write(club.id, 'hi');
		const eventId = user.pressButton(club.id, { payload: { action: 'track' } });
		expect(lastEvent(vk)).toMatchObject({
			type: 'message_event',
			object: {
				user_id: user.id,
				peer_id: user.id,
				event_id: eventId,
				payload: { action: 'track' },
				conversation_message_id: 1,
			},
		});
	});

	it('message_allow {user_id, key} and message_deny {user_id} (§3.4)', () => {
		user.allow(club.id, 'promo-widget');
		expect(lastEvent(vk)).toMatchObject({
			type: 'message_allow',
			object: { user_id: user.id, key: 'promo-widget' },
		});
		user.deny(club.id);
		expect(lastEvent(vk)).toMatchObject({ type: 'message_deny', object: { user_id: user.id } });
		expect(lastEvent(vk)?.object).toEqual({ user_id: user.id });
	});

	it('message_edit: the whole edited messages_message with update_time (§3.4)', () => {
		const message = user.write(club.id, 'typo');
		user.edit(club.id, message.id, 'fixed');
		expect(lastEvent(vk)).toMatchObject({
			type: 'message_edit',
			object: { id: message.id, text: 'fixed', update_time: expect.any(Number), from_id: user.id },
		});
	});

	it('a keyboard text button press arrives as message_new with payload', () => {
		user.write(club.id, { text: 'Track order', payload: '{"command":"track"}' });
		expect(lastMessage(vk).payload).toBe('{"command":"track"}');
	});
});
