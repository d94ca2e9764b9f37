import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCardAccessKey, issueCardAccess } from '../../../connector-server/src/core/card/card-access.ts';
import { CARD_LINK_TEXT } from '../../../connector-server/src/core/card/card-reactor.ts';
import { deriveCounterKeys, verifyQrToken } from '../../../connector-server/src/core/counter/qr-tokens.ts';
import { NO_ORDERS_TEXT } from '../../../connector-server/src/core/returns/texts.ts';
import { loadMasterKey } from '../../../connector-server/src/security/master-key.ts';
import { decodeQrSvg } from '../../support/qr-decode.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from './stack.ts';

// The customer's card (docs/counter.md): "My card" in a chat → a bot message with a link button →
// the card page (public, signed link) → its QR image carries a fresh single-use `nq1.` card token.
describe('My card: the bot answers with a link to the card page', () => {
	let stack: ChannelStack;
	let masterKey: Buffer;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
		masterKey = loadMasterKey(stack.dataDir, undefined).key;
	});
	afterAll(async () => {
		await stack.close();
	});

	/** The card page and its QR: what a phone's browser gets when the button is tapped. */
	async function openCard(url: string) {
		expect(url.startsWith(`${stack.server.url}/card/nc1.`)).toBe(true);
		const page = await fetch(url);
		const html = await page.text();
		const svg = await fetch(`${url}/qr.svg`);
		return { page, html, svg, svgText: await svg.text() };
	}

	it('Telegram: /card is in the bot menu; /card → URL button → page and a QR with a valid card token', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token });
		expect(connected.status).toBe(201);
		// setMyCommands on connect, per language, as the Bot API stores them (scope|language).
		// The journeys' commands sit next to /card: /catalog (1), /promo (2), /return (3).
		const commands = stack.tg.bot().commands;
		expect(commands.get('{"type":"default"}|')?.map((c) => c.command)).toEqual([
			'catalog',
			'promo',
			'return',
			'card',
		]);
		expect(commands.get('{"type":"default"}|ru')).toEqual([
			{ command: 'catalog', description: expect.stringContaining('Каталог') },
			{ command: 'promo', description: expect.stringContaining('промокод') },
			{ command: 'return', description: expect.stringContaining('Вернуть') },
			{ command: 'card', description: expect.stringContaining('карта') },
		]);

		const ivan = stack.tg.user({ id: 7_101, first_name: 'Иван', last_name: 'Петров-Секретный' });
		ivan.sendText('/card');
		const answer = await eventually(() =>
			ivan.received.find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.url)),
		);
		expect(answer.text).toContain('карта');
		const url = ivan.openUrlButton(answer.message_id, CARD_LINK_TEXT);

		const { page, html, svg, svgText } = await openCard(url);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(page.headers.get('cache-control')).toBe('no-store');
		expect(page.headers.get('referrer-policy')).toBe('no-referrer');
		const csp = page.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("script-src 'self'");
		expect(csp).not.toContain('unsafe-inline');
		expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
		expect(html).toContain('Иван');
		expect(html).not.toContain('Петров-Секретный'); // the first name only
		const shop = await stack.server.db
			.selectFrom('tenants')
			.select('name')
			.where('id', '=', stack.tenantId)
			.executeTakeFirstOrThrow();
		expect(html).toContain(shop.name);
		const customer = await customerBy(stack, 'telegram', '7101');
		// The page gave the customer their stable loyalty number (created on first use).
		const number = customer.identities.find((i) => i.type === 'loyalty_card')?.value;
		expect(number).toMatch(/^2\d{12}$/);
		expect(html).toContain(`${number!.slice(0, 1)} ${number!.slice(1, 7)} ${number!.slice(7)}`);

		expect(svg.status).toBe(200);
		expect(svg.headers.get('content-type')).toContain('image/svg+xml');
		expect(svg.headers.get('cache-control')).toBe('no-store');
		expect(svg.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
		const token = decodeQrSvg(svgText);
		expect(token.startsWith('nq1.')).toBe(true);
		const claims = verifyQrToken(deriveCounterKeys(masterKey), token, Date.now());
		expect(claims).toMatchObject({ tenantId: stack.tenantId, customerId: customer.id, kind: 'card' });
		expect(claims.expiresAt - Date.now()).toBeLessThanOrEqual(120_000);
		// Every fetch is a new single-use token (the page swaps it every 30 s).
		const again = decodeQrSvg(await (await fetch(`${url}/qr.svg`)).text());
		expect(again).not.toBe(token);

		// On the timeline as the bot's message; one answer per incoming /card.
		const items = await timeline(stack, customer.id);
		expect(items.filter((e) => e.type === 'message.out' && e.data.author === 'bot')).toHaveLength(1);
	});

	it('a forged link is 404, an expired one 410, each with a page saying how to get a new one', async () => {
		const customer = await customerBy(stack, 'telegram', '7101');
		const key = deriveCardAccessKey(masterKey);
		const { access } = issueCardAccess(
			key,
			{ tenantId: stack.tenantId, customerId: customer.id },
			Date.now(),
		);
		const forged = `${access.slice(0, -2)}${access.endsWith('AA') ? 'BB' : 'AA'}`;
		const other = issueCardAccess(
			deriveCardAccessKey(Buffer.alloc(32, 7)),
			{ tenantId: stack.tenantId, customerId: customer.id },
			Date.now(),
		).access;
		expect((await fetch(`${stack.server.url}/card/${access}/other`)).status).toBe(404);
		for (const bad of [forged, other, 'nc1.garbage.x', 'anything']) {
			const page = await fetch(`${stack.server.url}/card/${bad}`);
			expect(page.status).toBe(404);
			expect(await page.text()).toContain('/card');
			expect((await fetch(`${stack.server.url}/card/${bad}/qr.svg`)).status).toBe(404);
		}
		const expired = issueCardAccess(
			key,
			{ tenantId: stack.tenantId, customerId: customer.id, ttlSeconds: 30 * 24 * 3600 },
			Date.now() - 31 * 24 * 3600 * 1000,
		).access;
		const gone = await fetch(`${stack.server.url}/card/${expired}`, { headers: { 'accept-language': 'en' } });
		expect(gone.status).toBe(410);
		expect(await gone.text()).toContain('expired');
		expect((await fetch(`${stack.server.url}/card/${expired}/qr.svg`)).status).toBe(410);
		// A card token is no card link, and the reverse (separate keys).
		const qr = decodeQrSvg(await (await fetch(`${stack.server.url}/card/${access}/qr.svg`)).text());
		expect((await fetch(`${stack.server.url}/card/${qr}`)).status).toBe(404);
	});

	it('VK: the "Моя карта" keyboard button → an open_link button to the card', async () => {
		const club = stack.vk.createCommunity({ name: 'Card club' });
		const connected = await stack.api('POST', '/connections', { channel: 'vk', token: club.token });
		expect(connected.status).toBe(201);
		await eventually(() => [...club.community.callbackServers.values()].some((s) => s.status === 'ok'));
		const olga = stack.vk.createUser({ first_name: 'Ольга' });
		// A text-keyboard button sends its label as the text and its payload with it.
		olga.write(club.id, { text: 'Моя карта', payload: JSON.stringify({ nitka: 'card' }) });
		const answer = await eventually(() => club.sentTo(olga.id).find((m) => m.keyboard));
		// A regular keyboard: the link first, then the chat menu (the journeys' entries and
		// "Моя карта", two a row), which stays under the input field.
		const menuButton = (label: string, data: string) => ({
			action: { type: 'text', label, payload: JSON.stringify({ nitka: data }) },
		});
		expect(answer.keyboard).toMatchObject({
			inline: false,
			buttons: [
				[{ action: { type: 'open_link', label: CARD_LINK_TEXT } }],
				[menuButton('Каталог', 'co:cat:1'), menuButton('Промокод', 'promo:get')],
				[menuButton('Возврат', 'return'), menuButton('Моя карта', 'card')],
			],
		});
		const url = olga.openLink(answer, CARD_LINK_TEXT);
		const { page, html, svgText } = await openCard(url);
		expect(page.status).toBe(200);
		expect(html).toContain('id="loyalty-number"');
		const claims = verifyQrToken(deriveCounterKeys(masterKey), decodeQrSvg(svgText), Date.now());
		const customer = await customerBy(stack, 'vk', String(olga.id));
		expect(claims.customerId).toBe(customer.id);
		// Pressing the kept "Моя карта" later: a new answer with a link (issued anew).
		olga.write(club.id, { text: 'Моя карта', payload: '{"nitka":"card"}' });
		const again = await eventually(() => {
			const answers = club.sentTo(olga.id).filter((m) => m.keyboard);
			return answers.length === 2 ? answers[1] : undefined;
		});
		expect((await fetch(olga.openLink(again, CARD_LINK_TEXT))).status).toBe(200);
		// The kept «Возврат» starts journey 3's dialog (the press carries the button's data).
		olga.write(club.id, { text: 'Возврат', payload: '{"nitka":"return"}' });
		const asked = await eventually(() => club.sentTo(olga.id).find((m) => m.text === NO_ORDERS_TEXT));
		expect(asked).toBeDefined();
	});

	it('MAX: /card and the "Моя карта" callback button → a link button to the card', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'max', token: stack.max.token });
		expect(connected.status).toBe(201);
		// The bot's menu shows /card (PATCH /me with commands).
		expect(stack.max.state.bot.commands?.map((c) => c.name)).toEqual(['catalog', 'promo', 'return', 'card']);
		const lev = stack.max.user({ user_id: 8_801, first_name: 'Лев' });
		lev.sendText('/card');
		const first = await eventually(() => lev.received.find((m) => m.body.attachments?.length));
		const url = lev.openLink(first, CARD_LINK_TEXT);
		const { page, html } = await openCard(url);
		expect(page.status).toBe(200);
		expect(html).toContain('Лев');
		// A callback button with the card's data (as any Nitka message may offer it) works the same.
		lev.pressButton(first, 'card');
		await eventually(() => lev.received.filter((m) => m.body.attachments?.length).length === 2);
	});
});
