import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MaxEmulator, startMaxEmulator } from './index.ts';

// InlineKeyboardAttachmentRequest (dev.max.ru): buttons of a `type` with a 1-128-char `text`; a
// `link` button opens its `url` (≤ 2048 chars) and tells the bot nothing; a `callback` needs a payload.
describe('MAX inline keyboards: link buttons', () => {
	let max: MaxEmulator;
	beforeEach(async () => {
		max = await startMaxEmulator();
	});
	afterEach(async () => {
		await max.close();
	});

	const send = async (chatId: number, buttons: unknown) => {
		const response = await fetch(`${max.url}/messages?chat_id=${chatId}`, {
			method: 'POST',
			headers: { authorization: max.token, 'content-type': 'application/json' },
			body: JSON.stringify({
				text: 'Your card',
				attachments: [{ type: 'inline_keyboard', payload: { buttons } }],
			}),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	it('sends a link button next to a callback button; opening it pushes no update', async () => {
		const lev = max.user({ user_id: 9_001, first_name: 'Lev' });
		lev.sendText('hi');
		const url = 'https://shop.example/card/nc1.x.y';
		const sent = await send(lev.chatId, [
			[
				{ type: 'link', text: 'Открыть карту', url },
				{ type: 'callback', text: 'Моя карта', payload: 'card' },
			],
		]);
		expect(sent.status).toBe(200);
		const message = lev.received.at(-1)!;
		const updates = max.state.read(undefined, 1000, undefined).updates.length;
		expect(lev.openLink(message, 'Открыть карту')).toBe(url);
		expect(max.state.read(undefined, 1000, undefined).updates.length).toBe(updates);
	});

	it('PATCH /me sets the menu commands GET /me then shows; bad commands are refused', async () => {
		const patch = async (body: unknown) =>
			await fetch(`${max.url}/me`, {
				method: 'PATCH',
				headers: { authorization: max.token, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		expect((await patch({ commands: [{ name: 'card', description: 'Моя карта' }] })).status).toBe(200);
		const me = (await (await fetch(`${max.url}/me`, { headers: { authorization: max.token } })).json()) as {
			commands: unknown;
		};
		expect(me.commands).toEqual([{ name: 'card', description: 'Моя карта' }]);
		expect((await patch({ commands: [{ name: '' }] })).status).toBe(400);
		expect(
			(await patch({ commands: Array.from({ length: 33 }, (_, i) => ({ name: `c${i}` })) })).status,
		).toBe(400);
	});

	it.each([
		['a link without url', [[{ type: 'link', text: 'Go' }]]],
		['a link to a non-http URL', [[{ type: 'link', text: 'Go', url: 'javascript:alert(1)' }]]],
		['a url over 2048 chars', [[{ type: 'link', text: 'Go', url: `https://a.example/${'x'.repeat(2048)}` }]]],
		['an empty text', [[{ type: 'link', text: '', url: 'https://a.example' }]]],
		['a text over 128 chars', [[{ type: 'link', text: 'x'.repeat(129), url: 'https://a.example' }]]],
		['a callback without payload', [[{ type: 'callback', text: 'Go' }]]],
		['an unknown type', [[{ type: 'teleport', text: 'Go' }]]],
		[
			'8 buttons in a row',
			[Array.from({ length: 8 }, (_, i) => ({ type: 'callback', text: `${i}`, payload: 'x' }))],
		],
	])('refuses %s with 400', async (_what, buttons) => {
		const lev = max.user({ user_id: 9_002, first_name: 'Lev' });
		lev.sendText('hi');
		const sent = await send(lev.chatId, buttons);
		expect(sent.status).toBe(400);
		expect(sent.body).toMatchObject({ code: 'proto.payload' });
	});
});
