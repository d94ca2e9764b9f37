import { describe, expect, it } from 'vitest';
import { maxButton } from '../../../../connector-server/src/channels/max/client.ts';
import { telegramButton } from '../../../../connector-server/src/channels/telegram/client.ts';
import { vkButton, vkKeyboard } from '../../../../connector-server/src/channels/vk/client.ts';
import { createSendHandler } from '../../../../connector-server/src/core/conversations/send-handler.ts';
import {
	isLinkButton,
	type OutboundButton,
} from '../../../../connector-server/src/core/ports/channel-client.ts';

const link: OutboundButton = { text: 'Открыть карту', url: 'https://shop.example/card/nc1.a.b' };
const data: OutboundButton = { text: 'Моя карта', data: 'card' };

describe('link buttons on every channel', () => {
	it('tells link buttons from data buttons', () => {
		expect(isLinkButton(link)).toBe(true);
		expect(isLinkButton(data)).toBe(false);
	});

	it('Telegram: `url` vs `callback_data` (exactly one action per InlineKeyboardButton)', () => {
		expect(telegramButton(link)).toEqual({ text: 'Открыть карту', url: 'https://shop.example/card/nc1.a.b' });
		expect(telegramButton(data)).toEqual({ text: 'Моя карта', callback_data: 'card' });
	});

	it('VK: `open_link` with link and label vs `callback` with a Nitka payload; labels cut to 40', () => {
		expect(vkButton(link)).toEqual({
			action: { type: 'open_link', link: 'https://shop.example/card/nc1.a.b', label: 'Открыть карту' },
		});
		expect(vkButton(data)).toEqual({
			action: { type: 'callback', label: 'Моя карта', payload: '{"nitka":"card"}' },
		});
		expect(vkButton({ text: 'x'.repeat(60), url: 'https://a.example' }).action.label).toHaveLength(40);
	});

	it('VK: buttons inline, or with a menu one regular keyboard that keeps the menu under the input', () => {
		expect(vkKeyboard([link], [])).toEqual({ inline: true, buttons: [[vkButton(link)]] });
		expect(vkKeyboard([link], [{ text: 'Моя карта', data: 'card' }])).toEqual({
			one_time: false,
			inline: false,
			buttons: [
				[vkButton(link)],
				[{ action: { type: 'text', label: 'Моя карта', payload: '{"nitka":"card"}' }, color: 'primary' }],
			],
		});
		expect(vkKeyboard([], [{ text: 'Моя карта', data: 'card' }]).buttons).toHaveLength(1);
	});

	it("VK: the chat menu two a row under the message's buttons, within VK's keyboard caps", () => {
		const menu = [
			{ text: 'Каталог', data: 'co:cat:1' },
			{ text: 'Промокод', data: 'promo:get' },
			{ text: 'Возврат', data: 'return' },
			{ text: 'Моя карта', data: 'card' },
		];
		const text = (label: string, data: string) => ({
			action: { type: 'text', label, payload: JSON.stringify({ nitka: data }) },
			color: 'primary',
		});
		expect(vkKeyboard([link], menu).buttons).toEqual([
			[vkButton(link)],
			[text('Каталог', 'co:cat:1'), text('Промокод', 'promo:get')],
			[text('Возврат', 'return'), text('Моя карта', 'card')],
		]);
		// Rows of at most 5; a regular keyboard ≤ 10 rows and 40 buttons, an inline one ≤ 6 rows and 10.
		const many = Array.from({ length: 12 }, (_, i) => ({ text: `b${i}`, data: `d${i}` }));
		const inline = vkKeyboard(many, []) as { buttons: unknown[][] };
		expect(inline.buttons.map((row) => row.length)).toEqual([5, 5]);
		const wide = Array.from({ length: 45 }, (_, i) => ({ text: `m${i}`, data: `m${i}` }));
		const regular = vkKeyboard(many, wide) as { buttons: unknown[][] };
		expect(regular.buttons.length).toBeLessThanOrEqual(10);
		expect(regular.buttons.flat().length).toBeLessThanOrEqual(40);
		expect(Math.max(...regular.buttons.map((row) => row.length))).toBeLessThanOrEqual(5);
		expect(regular.buttons[0]).toHaveLength(5); // the message's own buttons come first
	});

	it('MAX: `link` with url vs `callback` with payload', () => {
		expect(maxButton(link)).toEqual({
			type: 'link',
			text: 'Открыть карту',
			url: 'https://shop.example/card/nc1.a.b',
		});
		expect(maxButton(data)).toEqual({ type: 'callback', text: 'Моя карта', payload: 'card' });
	});

	it('send jobs carry both kinds; a link must be an absolute http(s) URL', () => {
		const handler = createSendHandler({
			db: {} as never,
			box: {} as never,
			clock: { now: () => 0 },
			logger: {} as never,
			clients: {},
		});
		const job = { channel: 'telegram', connectionId: 'c', chatId: '1', text: 'x', replyId: 'r', part: 0 };
		expect(handler.parse({ ...job, buttons: [link, data] }).buttons).toEqual([link, data]);
		for (const url of [
			'javascript:alert(1)',
			'/card/x',
			'https://a b',
			`https://a.example/${'x'.repeat(2048)}`,
		]) {
			expect(() => handler.parse({ ...job, buttons: [{ text: 'Go', url }] })).toThrow();
		}
	});
});
