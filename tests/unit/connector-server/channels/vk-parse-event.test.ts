import { describe, expect, it } from 'vitest';
import { APIError } from 'vk-io';
import { createVkClient, randomIdOf } from '../../../../connector-server/src/channels/vk/client.ts';
import { vkIntake } from '../../../../connector-server/src/channels/vk/intake.ts';
import { fetchVkMedia } from '../../../../connector-server/src/channels/vk/media.ts';
import { parseVkEvent } from '../../../../connector-server/src/channels/vk/parse-event.ts';
import { toDeliveryError } from '../../../../connector-server/src/channels/vk/send-errors.ts';
import { RecipientUnreachableError } from '../../../../connector-server/src/core/ports/channel-client.ts';
import {
	PermanentDeliveryError,
	TransientDeliveryError,
} from '../../../../connector-server/src/core/ports/outbound.ts';

const context = { tenantId: 't', connectionId: 'c', receivedAt: 1_795_000_000_000, settings: { groupId: 1 } };
const target = {
	connectionId: 'c',
	tenantId: 't',
	webhookSecret: 's3cret',
	settings: { groupId: 1, confirmationCode: 'a1b2c3' },
};
const envelope = (type: string, object: unknown, eventId = 'e-1') => ({
	type,
	event_id: eventId,
	v: '5.199',
	object,
	group_id: 1,
});

// Payloads as VK documents them for API 5.199 (dev.vk.com/api/callback, vk-api-schema callback/objects.json).
const message = {
	date: 1_795_000_000,
	from_id: 42,
	id: 7,
	out: 0,
	peer_id: 42,
	text: 'Здравствуйте',
	conversation_message_id: 3,
	fwd_messages: [],
	important: false,
	is_hidden: false,
	attachments: [
		{
			type: 'doc',
			doc: { id: 5, owner_id: 42, title: 'check.pdf', size: 2048, ext: 'pdf', access_key: 'k' },
		},
		{
			type: 'audio_message',
			audio_message: { id: 6, owner_id: 42, duration: 3, link_ogg: 'https://x/y.ogg', access_key: 'z' },
		},
		{ type: 'sticker', sticker: { product_id: 1, sticker_id: 9 } },
	],
	geo: { type: 'point', coordinates: { latitude: 59.93, longitude: 30.31 } },
	payload: '{"button":"1"}',
	ref: 'AbCdEfGhIjKlMnOpQrStUv',
	ref_source: 'qr',
};

describe('VK Callback/Long Poll events', () => {
	it('parses message_new with attachments, location, keyboard payload and a deep-link ref', () => {
		const [batch] = parseVkEvent(envelope('message_new', { message, client_info: {} }), context);
		expect(batch?.identifiers).toEqual([{ type: 'vk', value: '42', verified: true }]);
		const event = batch!.events[0]!;
		expect(event).toMatchObject({
			type: 'message.in',
			sourceKey: 'vk:1:e-1',
			linkToken: 'AbCdEfGhIjKlMnOpQrStUv',
		});
		expect(event.data).toMatchObject({
			chatId: '42',
			externalId: '7',
			text: 'Здравствуйте',
			buttonData: '{"button":"1"}',
			location: { latitude: 59.93, longitude: 30.31 },
			attachments: [
				{ kind: 'document', ref: 'doc42_5_k', fileName: 'check.pdf', size: 2048 },
				// VK's download URL where the message gives one; the attachment string otherwise.
				{ kind: 'voice', ref: 'https://x/y.ogg', mimeType: 'audio/ogg' },
				{ kind: 'sticker', ref: 'sticker9' },
			],
		});
	});

	it('takes the largest photo size as the media ref', () => {
		const photo = {
			type: 'photo',
			photo: {
				id: 3,
				owner_id: 42,
				sizes: [
					{ type: 'x', width: 604, url: 'https://sun9-1.userapi.com/x.jpg' },
					{ type: 'w', width: 2560, url: 'https://sun9-1.userapi.com/w.jpg' },
					{ type: 's', width: 75, url: 'https://sun9-1.userapi.com/s.jpg' },
				],
			},
		};
		const [batch] = parseVkEvent(
			envelope('message_new', { message: { ...message, attachments: [photo] }, client_info: {} }),
			context,
		);
		expect(batch!.events[0]!.data).toMatchObject({
			attachments: [{ kind: 'photo', ref: 'https://sun9-1.userapi.com/w.jpg', mimeType: 'image/jpeg' }],
		});
	});

	it('downloads media only from VK hosts', async () => {
		await expect(fetchVkMedia('https://evil.example/x.jpg', 'https://api.vk.ru/method')).rejects.toThrow(
			/not a VK media host/,
		);
		await expect(fetchVkMedia('http://sun9-1.userapi.com/x.jpg', 'https://api.vk.ru/method')).rejects.toThrow(
			/not a VK media host/,
		);
		await expect(fetchVkMedia('doc42_5_k', 'https://api.vk.ru/method')).rejects.toThrow(/no download URL/);
	});

	it('parses edits, callback buttons, deny and allow; skips the community’s own messages', () => {
		const [edit] = parseVkEvent(
			envelope('message_edit', { ...message, update_time: 1_795_000_060 }),
			context,
		);
		expect(edit!.events[0]!.data).toMatchObject({ editOf: '7', externalId: '7:edit:1795000060' });
		expect(edit!.events[0]!.linkToken).toBeUndefined();
		const [pressed] = parseVkEvent(
			envelope('message_event', {
				user_id: 42,
				peer_id: 42,
				event_id: 'ev',
				payload: { order: 5 },
				conversation_message_id: 3,
			}),
			context,
		);
		expect(pressed!.events[0]!.data).toMatchObject({
			buttonData: '{"order":5}',
			externalId: expect.stringMatching(/^event:ev:\d+$/),
		});
		expect(parseVkEvent(envelope('message_deny', { user_id: 42 }), context)[0]!.events[0]!.type).toBe(
			'channel.blocked',
		);
		expect(
			parseVkEvent(envelope('message_allow', { user_id: 42, key: '' }), context)[0]!.events[0]!.type,
		).toBe('channel.unblocked');
		// A community message to a group chat is not a customer conversation.
		expect(
			parseVkEvent(envelope('message_reply', { ...message, out: 1, peer_id: 2_000_000_001 }), context),
		).toEqual([]);
		expect(parseVkEvent(envelope('message_new', { message: { ...message, out: 1 } }), context)).toEqual([]);
		expect(parseVkEvent(envelope('group_join', { user_id: 42 }), context)).toEqual([]);
	});

	it('verifies the secret in the body, answers the confirmation handshake, keys by event_id', () => {
		const request = (body: unknown) => ({ headers: {}, rawBody: JSON.stringify(body), body });
		expect(vkIntake.verify(request({ ...envelope('message_new', {}), secret: 's3cret' }), target)).toBe(true);
		expect(vkIntake.verify(request({ ...envelope('message_new', {}), secret: 'nope' }), target)).toBe(false);
		expect(vkIntake.verify(request(envelope('message_new', {})), target)).toBe(false);
		expect(vkIntake.handshake?.({ type: 'confirmation', group_id: 1 }, target)).toEqual({
			contentType: 'text/plain',
			body: 'a1b2c3',
		});
		expect(vkIntake.handshake?.({ type: 'confirmation', group_id: 2 }, target)).toBeNull();
		expect(vkIntake.handshake?.(envelope('message_new', {}), target)).toBeNull();
		expect(vkIntake.sourceKey(envelope('message_new', {}, 'abc'), target)).toBe('vk:1:abc');
		expect(vkIntake.acknowledge).toEqual({ contentType: 'text/plain', body: 'ok' });
	});

	it('derives random_id from the job id: stable across retries, positive int32, never 0', () => {
		const id = randomIdOf('01JD00000000000000000000AB');
		expect(randomIdOf('01JD00000000000000000000AB')).toBe(id);
		expect(randomIdOf('01JD00000000000000000000AC')).not.toBe(id);
		expect(id).toBeGreaterThan(0);
		expect(id).toBeLessThanOrEqual(2 ** 31 - 1);
	});

	it('maps VK errors: 901 unreachable, 6 throttles the token, 914 permanent, network transient', () => {
		const vkError = (code: number) => new APIError({ error_code: code, error_msg: 'x', request_params: [] });
		expect(toDeliveryError(vkError(901))).toBeInstanceOf(RecipientUnreachableError);
		const tooMany = toDeliveryError(vkError(6)) as TransientDeliveryError;
		expect(tooMany).toBeInstanceOf(TransientDeliveryError);
		expect(tooMany.throttleAll).toBe(true);
		expect(tooMany.retryAfterMs).toBe(1_000);
		expect(toDeliveryError(vkError(914))).toBeInstanceOf(PermanentDeliveryError);
		expect(toDeliveryError(new Error('ECONNRESET'))).toBeInstanceOf(TransientDeliveryError);
	});

	it('records a staff reply written in VK (message_reply) as message.out from the community, origin vk', () => {
		const reply = { ...message, id: 8, out: 1, from_id: -1, text: 'Ваш заказ готов', random_id: 99 };
		const [batch] = parseVkEvent(envelope('message_reply', reply), context);
		expect(batch!.identifiers).toEqual([{ type: 'vk', value: '42', verified: true }]);
		expect(batch!.events[0]).toMatchObject({
			type: 'message.out',
			data: { chatId: '42', externalId: '8', text: 'Ваш заказ готов', author: 'community', origin: 'vk' },
		});
	});

	it('keys a message_reply by its random_id, the key Nitka claims before its own send', () => {
		const reply = { ...message, out: 1, from_id: -1, random_id: randomIdOf('job-1') };
		expect(vkIntake.sourceKey(envelope('message_reply', reply), target)).toBe(
			`vk:1:sent:${randomIdOf('job-1')}`,
		);
		const job = { id: 'job-1', tenantId: 't', target: 'x', attempt: 1 };
		const client = createVkClient('http://127.0.0.1:1/method');
		expect(client.echoSourceKey?.({ ...target, credentials: { token: 't' } }, job)).toBe(
			`vk:1:sent:${randomIdOf('job-1')}`,
		);
		// Sent without a random_id (0): keyed by the event like anything else.
		expect(vkIntake.sourceKey(envelope('message_reply', { ...reply, random_id: 0 }), target)).toBe(
			'vk:1:e-1',
		);
	});

	it("reads Nitka's own button data back from a callback press", () => {
		const [pressed] = parseVkEvent(
			envelope('message_event', {
				user_id: 42,
				peer_id: 42,
				event_id: 'ev2',
				payload: { nitka: 'ol:abc:y' },
			}),
			context,
		);
		expect(pressed!.events[0]!.data).toMatchObject({ buttonData: 'ol:abc:y', externalId: 'event:ev2:42' });
	});
});
