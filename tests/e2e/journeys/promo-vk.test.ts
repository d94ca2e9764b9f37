import { PROMO_CODE_ALPHABET } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkCommunityHandle } from '../../emulators/vk/community.ts';
import type { JsonObject, VkMessage } from '../../emulators/vk/types.ts';
import type { VkUser } from '../../emulators/vk/user.ts';
import { type ChannelStack, customerBy, eventually, startChannelStack, timeline } from '../channels/stack.ts';

const CODE = new RegExp(`VK[${PROMO_CODE_ALPHABET}]{8}`);

/** The callback button of a community message with this label: its payload, as VK delivers it on a press. */
function buttonPayload(message: VkMessage | undefined, label: string): JsonObject {
	const rows = (message?.keyboard as { buttons?: { action: { label?: string; payload?: string } }[][] })
		?.buttons;
	const action = rows
		?.flat()
		.map((b) => b.action)
		.find((a) => a.label === label);
	if (!action?.payload) throw new Error(`no button "${label}"`);
	return JSON.parse(action.payload) as JsonObject;
}

// Journey 2 (issue 8): the shop issues personal promo codes to its VK audience — only to those who
// agreed to receive offers — a customer asks in the community and gets their code, the counter
// redeems it once and notes a preference, and the customer is thanked in VK with the next offer.
describe('journey 2: a VK promo redeemed in store', () => {
	let stack: ChannelStack;
	let club: VkCommunityHandle;
	let anna: VkUser;
	let boris: VkUser;
	let deviceKey: string;
	let autumnId: string;
	let annaCode: string;
	let keySeq = 0;

	const counter = async (path: string, body?: unknown, idempotencyKey = `promo-e2e-${++keySeq}`) => {
		const response = await fetch(`${stack.server.url}/api/v1/counter${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: {
				authorization: `Bearer ${deviceKey}`,
				'content-type': 'application/json',
				...(body === undefined ? {} : { 'idempotency-key': idempotencyKey }),
			},
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const texts = (user: VkUser) => club.sentTo(user.id).map((m) => m.text);

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
		club = stack.vk.createCommunity({ name: 'Чайная лавка' });
		const connected = await stack.api('POST', '/connections', { channel: 'vk', token: club.token });
		expect(connected.status).toBe(201);
		await eventually(() => [...club.community.callbackServers.values()].some((s) => s.status === 'ok'));
		anna = stack.vk.createUser({ first_name: 'Анна', last_name: 'Петрова' });
		boris = stack.vk.createUser({ first_name: 'Борис', last_name: 'Иванов' });
	});
	afterAll(async () => {
		await stack.close();
	});

	it('the shop sets up a store and a counter tablet', async () => {
		const location = await stack.api<{ id: string }>('POST', '/locations', {
			name: 'Чайная на Покровке',
			kind: 'store',
		});
		expect(location.status).toBe(201);
		const device = await stack.api<{ key: string }>('POST', `/locations/${location.body.id}/devices`, {
			name: 'Касса 1',
		});
		expect(device.status).toBe(201);
		deviceKey = device.body.key;
	});

	it('Anna agrees to receive offers with the bot’s button; Boris only says hello', async () => {
		anna.write(club.id, 'Здравствуйте! А промокод есть?');
		const question = await eventually(() =>
			club.sentTo(anna.id).find((m) => m.text.includes('только тем, кто согласился')),
		);
		// Without consent nothing but the question with its button.
		expect(texts(anna).join('\n')).not.toMatch(CODE);
		anna.pressButton(club.id, { payload: buttonPayload(question, 'Согласен получать предложения') });
		await eventually(() => texts(anna).find((t) => t.includes('действующих акций нет')));
		boris.write(club.id, 'Привет!');
		await customerBy(stack, 'vk', String(boris.id));
	});

	it('a campaign reaches only the consenting customer; issuing twice sends nothing twice', async () => {
		const created = await stack.api<{ id: string; status: string }>('POST', '/promo-campaigns', {
			name: 'Осенний чай',
			offer: 'Скидка 15% на весь чай до конца месяца.',
			codePrefix: 'vk',
			channels: ['vk'],
			expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
			followUp: { text: 'Будем рады видеть вас снова!', delayMinutes: 0 },
		});
		expect(created.status).toBe(201);
		expect(created.body.status).toBe('active');
		autumnId = created.body.id;

		const audience = await stack.api('GET', `/promo-campaigns/${autumnId}/audience`);
		expect(audience.body).toEqual({ audience: 1, reachable: 1, alreadyIssued: 0, withoutConsent: 1 });

		const issued = await stack.api('POST', `/promo-campaigns/${autumnId}/issue`);
		expect(issued.status).toBe(200);
		expect(issued.body).toEqual({ issued: 1, alreadyIssued: 0, messaged: 1, unreachable: 0 });
		const message = await eventually(() => texts(anna).find((t) => t.includes('Ваш персональный промокод')));
		expect(message).toContain('Скидка 15% на весь чай');
		annaCode = CODE.exec(message)?.[0] ?? '';
		expect(annaCode).toMatch(CODE);

		const again = await stack.api('POST', `/promo-campaigns/${autumnId}/issue`);
		expect(again.body).toEqual({ issued: 0, alreadyIssued: 1, messaged: 0, unreachable: 0 });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(texts(anna).filter((t) => t.includes(annaCode))).toHaveLength(1);
		expect(texts(boris).join('\n')).not.toMatch(CODE);
		const campaign = await stack.api('GET', `/promo-campaigns/${autumnId}`);
		expect(campaign.body).toMatchObject({ codes: { issued: 1, redeemed: 0 }, codePrefix: 'VK' });
	});

	it('asking in the community: Anna gets her own code back; Boris is asked for consent, then gets his', async () => {
		anna.write(club.id, 'промокод');
		await eventually(() => texts(anna).filter((t) => t.includes(annaCode)).length === 2);

		boris.write(club.id, 'Хочу промокод');
		const question = await eventually(() =>
			club.sentTo(boris.id).find((m) => m.text.includes('только тем, кто согласился')),
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(texts(boris).join('\n')).not.toMatch(CODE);
		boris.pressButton(club.id, { payload: buttonPayload(question, 'Согласен получать предложения') });
		const his = await eventually(() => texts(boris).find((t) => t.includes('Ваш персональный промокод')));
		const borisCode = CODE.exec(his)?.[0];
		expect(borisCode).toMatch(CODE);
		expect(borisCode).not.toBe(annaCode);
		// A menu's "Промокод" text button (payload `promo:get`) asks the same: his code, not a second one.
		boris.write(club.id, { text: 'Промокод', payload: JSON.stringify({ nitka: 'promo:get' }) });
		await eventually(() => texts(boris).filter((t) => t.includes(borisCode ?? '?')).length === 2);
		const customer = await customerBy(stack, 'vk', String(boris.id));
		const full = await stack.api<{ consents: { purpose: string; status: string }[] }>(
			'GET',
			`/customers/${customer.id}`,
		);
		expect(full.body.consents).toContainEqual(
			expect.objectContaining({ purpose: 'marketing', status: 'given' }),
		);
	});

	it('the counter identifies Anna by her loyalty number, redeems the code once and notes a preference', async () => {
		// The next offer exists by the time she comes to the store.
		const next = await stack.api('POST', '/promo-campaigns', {
			name: 'Чай недели',
			offer: 'Улун недели −20%.',
			codePrefix: 'VK',
			channels: ['vk'],
		});
		expect(next.status).toBe(201);

		const customer = await customerBy(stack, 'vk', String(anna.id));
		const card = await stack.api<{ loyaltyNumber: string }>('POST', `/customers/${customer.id}/card-token`);
		expect(card.status).toBe(201);
		const identified = await counter('/identify', { loyalty: card.body.loyaltyNumber });
		expect(identified.status).toBe(200);
		expect(identified.body.promoCodes).toContainEqual(
			expect.objectContaining({ code: annaCode, campaign: 'Осенний чай' }),
		);

		const redeemed = await counter(`/customers/${customer.id}/promo-redemptions`, {
			code: annaCode.toLowerCase(),
		});
		expect(redeemed.status).toBe(201);
		const twice = await counter(`/customers/${customer.id}/promo-redemptions`, { code: annaCode });
		expect(twice.status).toBe(409);
		expect(twice.body.code).toBe('code-redeemed');
		const note = await counter(`/customers/${customer.id}/notes`, { text: 'Любит улуны, без сахара' });
		expect(note.status).toBe(201);
	});

	it('Anna is thanked in VK with the next offer, once; her timeline tells the whole story', async () => {
		const thanks = await eventually(() => texts(anna).find((t) => t.includes('заглянули')));
		// VK gives a community no names; with one known, the thank-you opens with the first name.
		expect(thanks).toMatch(/^Спасибо, что заглянули/);
		expect(thanks).toContain('Чайная на Покровке');
		expect(thanks).toContain('Будем рады видеть вас снова!');
		expect(thanks).toContain('Улун недели −20%.');
		const nextCode = CODE.exec(thanks.slice(thanks.indexOf('следующий')))?.[0];
		expect(nextCode).toMatch(CODE);
		expect(nextCode).not.toBe(annaCode);
		// The staff note stays in the shop: never echoed to the customer.
		expect(thanks).not.toContain('без сахара');
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(texts(anna).filter((t) => t.includes('заглянули'))).toHaveLength(1);

		const customer = await customerBy(stack, 'vk', String(anna.id));
		const events = await timeline(stack, customer.id);
		const types = events.map((e) => e.type);
		expect(types).toEqual(
			expect.arrayContaining(['consent.given', 'promo.issued', 'promo.redeemed', 'note', 'message.out']),
		);
		expect(events.filter((e) => e.type === 'promo.issued').map((e) => e.data.code)).toEqual(
			expect.arrayContaining([annaCode, nextCode]),
		);
		expect(events.find((e) => e.type === 'promo.redeemed')).toMatchObject({
			channel: 'pos',
			data: { code: annaCode },
		});
		expect(events.find((e) => e.type === 'note')?.data.text).toBe('Любит улуны, без сахара');
		expect(
			events.filter((e) => e.type === 'message.out').some((e) => String(e.data.text).includes('заглянули')),
		).toBe(true);
		const autumn = await stack.api('GET', `/promo-campaigns/${autumnId}`);
		expect(autumn.body).toMatchObject({ codes: { issued: 2, redeemed: 1 } });
	});

	it('Telegram: a customer of the bot consents, gets a code, redeems it, and is thanked there', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token });
		expect(connected.status).toBe(201);
		const campaign = await stack.api<{ id: string }>('POST', '/promo-campaigns', {
			name: 'Для Telegram',
			offer: 'Пробник пуэра в подарок.',
			codePrefix: 'TG',
			channels: ['telegram'],
			followUp: { delayMinutes: 0 },
		});
		expect(campaign.status).toBe(201);
		const ivan = stack.tg.user({ id: 7_301, first_name: 'Иван', last_name: 'Смирнов' });
		ivan.sendText('/promo');
		const question = await eventually(() =>
			ivan.received.find((m) => m.text?.includes('только тем, кто согласился')),
		);
		ivan.pressButton(question.message_id, 'promo:consent');
		const message = await eventually(() =>
			ivan.received.find((m) => m.text?.includes('Ваш персональный промокод')),
		);
		const code = /TG[A-Z2-9]{8}/.exec(message.text ?? '')?.[0] ?? '';
		expect(code).toMatch(new RegExp(`^TG[${PROMO_CODE_ALPHABET}]{8}$`));

		const customer = await customerBy(stack, 'telegram', '7301');
		const card = await stack.api<{ loyaltyNumber: string }>('POST', `/customers/${customer.id}/card-token`);
		expect((await counter('/identify', { loyalty: card.body.loyaltyNumber })).status).toBe(200);
		expect((await counter(`/customers/${customer.id}/promo-redemptions`, { code })).status).toBe(201);
		const thanks = await eventually(() => ivan.received.find((m) => m.text?.includes('заглянули')));
		expect(thanks.text).toMatch(/^Иван, спасибо, что заглянули к нам в «Чайная на Покровке»/);
		expect(thanks.text).not.toContain('Смирнов');
		// Nothing went to VK for him, and the VK customers got no Telegram offer.
		expect(texts(boris).join('\n')).not.toContain('Пробник пуэра');
	});

	it('the campaign API is in the OpenAPI document', async () => {
		const doc = (await (await fetch(`${stack.server.url}/api/openapi.json`)).json()) as {
			paths: Record<string, unknown>;
		};
		for (const path of [
			'/api/v1/tenants/{tenantId}/promo-campaigns',
			'/api/v1/tenants/{tenantId}/promo-campaigns/{campaignId}/audience',
			'/api/v1/tenants/{tenantId}/promo-campaigns/{campaignId}/issue',
		]) {
			expect(doc.paths[path]).toBeDefined();
		}
	});
});
