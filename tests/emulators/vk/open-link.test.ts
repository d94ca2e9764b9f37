import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyboard } from 'vk-io';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator, type VkUser } from './index.ts';
import { callApi } from './test-receiver.ts';

// `messages_keyboard_button_action_open_link` (vk-api-schema 5.199): `link` and `label` required;
// the bots guide gives `color` to text and callback buttons only. Faults are error 911.
describe('open_link keyboard buttons', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	let anna: VkUser;
	const send = (keyboard: unknown) =>
		callApi(vk.url, 'messages.send', {
			v: '5.199',
			access_token: club.token,
			peer_id: anna.id,
			random_id: Math.floor(Math.random() * 1e9) + 1,
			message: 'Your card',
			keyboard: typeof keyboard === 'string' ? keyboard : JSON.stringify(keyboard),
		});

	beforeEach(async () => {
		vk = await startVkEmulator();
		club = vk.createCommunity();
		anna = vk.createUser({ first_name: 'Anna' });
		anna.write(club.id, 'Моя карта');
	});
	afterEach(async () => {
		await vk.close();
	});

	it("takes vk-io's Keyboard.urlButton in an inline keyboard; opening it sends no event", async () => {
		const keyboard = Keyboard.builder()
			.urlButton({ label: 'Открыть карту', url: 'https://shop.example/card/nc1.x.y' })
			.inline();
		const sent = await send(String(keyboard));
		expect(sent).toEqual({ response: expect.any(Number) });
		const message = club.sentTo(anna.id).at(-1)!;
		expect(message.keyboard).toMatchObject({
			inline: true,
			buttons: [
				[
					{
						action: { type: 'open_link', link: 'https://shop.example/card/nc1.x.y', label: 'Открыть карту' },
					},
				],
			],
		});
		const events = vk.events.length;
		expect(anna.openLink(message, 'Открыть карту')).toBe('https://shop.example/card/nc1.x.y');
		expect(vk.events.length).toBe(events);
	});

	it.each([
		['without a link', { type: 'open_link', label: 'Go' }],
		['with a link that is not http(s)', { type: 'open_link', label: 'Go', link: 'javascript:alert(1)' }],
		['without a label', { type: 'open_link', link: 'https://shop.example' }],
		[
			'with a label over 40 chars',
			{ type: 'open_link', label: 'x'.repeat(41), link: 'https://shop.example' },
		],
	])('refuses an open_link button %s (911)', async (_what, action) => {
		const answer = await send({ inline: true, buttons: [[{ action }]] });
		expect(answer.error).toMatchObject({ error_code: 911 });
	});

	it('refuses a color on an open_link button (911)', async () => {
		const answer = await send({
			inline: true,
			buttons: [
				[{ action: { type: 'open_link', label: 'Go', link: 'https://shop.example' }, color: 'primary' }],
			],
		});
		expect(answer.error).toMatchObject({ error_code: 911 });
	});
});
