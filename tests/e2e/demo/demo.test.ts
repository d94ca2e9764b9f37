import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConnectionSchema } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningDemo, startDemo } from '../../demo/start-demo.ts';
import { tasksOf } from '../../emulators/bitrix24/index.ts';

interface View {
	customers: {
		customer: { id: string; identities: { type: string; value: string }[] };
		timeline: { type: string; channel: string; data: { text?: string; orderId?: string; status?: string } }[];
		bitrix24Card: string | null;
	}[];
	received: Record<'telegram' | 'vk' | 'max', { text: string }[]>;
	cardLink: string | null;
	returnLink: string | null;
}

interface SceneState {
	id: string;
	status: { state: string; note?: { en: string }; links?: { label: { en: string }; url: string }[] };
}

async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 8_000): Promise<T> {
	const until = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < until) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

// The person's side goes only through the demo page's own HTTP actions, as the page's script does.
const page = (demo: RunningDemo) => ({
	async act(name: string, body: unknown) {
		const response = await fetch(`${demo.url}/api/actions/${name}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as { result?: Record<string, unknown> } };
	},
	async view(persona: string): Promise<View> {
		return (await (await fetch(`${demo.url}/api/personas/${persona}`)).json()) as View;
	},
});

const SessionSchema = z.object({ token: z.string(), tenantId: z.string() });

/** The bitrix-app's first call inside the card: the frame's auth traded for a session (as b24jssdk hands it over). */
async function appSession(demo: RunningDemo) {
	const { bitrix24 } = demo.context.platforms;
	const auth = bitrix24.issueFrameAuth(demo.context.portal.app!.clientId);
	const response = await fetch(`${demo.urls.connector}/api/v1/hosts/bitrix24/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: bitrix24.url },
		body: JSON.stringify({ domain: auth.domain, memberId: auth.memberId, accessToken: auth.accessToken }),
	});
	return { status: response.status, body: SessionSchema.safeParse(await response.json()).data };
}

/** The page's "Open the counter screen" links and the device key each carries in its fragment. */
async function counterScreens(demo: RunningDemo) {
	const state = (await (await fetch(`${demo.url}/api/state`)).json()) as { scenes: SceneState[] };
	const links = state.scenes.find((s) => s.id === 'counter')?.status.links ?? [];
	return links
		.filter((l) => l.label.en.startsWith('Open the counter screen'))
		.map((l) => ({ url: l.url, key: decodeURIComponent(l.url.split('#key=')[1] ?? '') }));
}

async function counterSession(demo: RunningDemo, key: string) {
	const response = await fetch(`${demo.urls.connector}/api/v1/counter/session`, {
		headers: { authorization: `Bearer ${key}` },
	});
	return { status: response.status, body: (await response.json()) as { location: { name: string } } };
}

const texts = (view: View) => view.customers.flatMap((c) => c.timeline.map((e) => e.data.text ?? ''));

describe('the demo launcher and its page', () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-demo-'));
	let demo: RunningDemo;

	beforeAll(async () => {
		demo = await startDemo({ dataDir, port: 0, logLevel: 'silent' });
	});
	afterAll(async () => {
		await demo?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('serves one page whose script renders customer text as text, and guards its actions', async () => {
		const html = await fetch(demo.url);
		expect(html.headers.get('content-security-policy')).toContain("default-src 'self'");
		expect(await html.text()).toContain('Клиент / Customer');
		const script = await (await fetch(`${demo.url}/page.js`)).text();
		expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
		const { act } = page(demo);
		expect((await act('telegram.write', { persona: 'nobody', text: 'x' })).status).toBe(400);
		const form = await fetch(`${demo.url}/api/actions/telegram.write`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'persona=anna&text=x',
		});
		expect(form.status).toBe(415);
		const state = (await (await fetch(`${demo.url}/api/state`)).json()) as { scenes: SceneState[] };
		expect(state.scenes.find((s) => s.id === 'counter')?.status.state).toBe('ready');
		expect(state.scenes.find((s) => s.id === 'promo')?.status.state).toBe('ready');
		for (const id of ['pickup', 'return'])
			expect(state.scenes.find((s) => s.id === id)?.status.state).toBe('ready');
		expect(state.scenes.find((s) => s.id === 'telegram')?.status.state).toBe('ready');
		expect(state.scenes.find((s) => s.id === 'marketplace')?.status.state).toBe('ready');
		expect(state.scenes.find((s) => s.id === 'bitrix24')?.status.state).toBe('ready');
		// WordPress is shown only when one runs (then paired for real, or partial with the reason), never faked.
		const wordpress = state.scenes.find((s) => s.id === 'wordpress')?.status.state;
		if (demo.urls.wordpress) expect(wordpress).not.toBe('coming');
		else expect(wordpress).toBe('coming');
	});

	it('writes in Telegram and VK, shares a phone, follows a deep link: one customer, one timeline', async () => {
		const { act, view } = page(demo);
		expect((await act('telegram.write', { persona: 'anna', text: 'Здравствуйте из Telegram' })).status).toBe(
			200,
		);
		expect((await act('vk.write', { persona: 'anna', text: 'Привет из VK' })).status).toBe(200);
		expect((await act('telegram.share-phone', { persona: 'anna' })).status).toBe(200);
		// Two accounts, two customers for now: nothing ties them together yet.
		await eventually(async () => {
			const v = await view('anna');
			return (
				texts(v).includes('Здравствуйте из Telegram') &&
				texts(v).includes('Привет из VK') &&
				v.customers.some((c) =>
					c.customer.identities.some((i) => i.type === 'phone' && i.value === '+79005550101'),
				)
			);
		});
		const link = await act('deep-link.follow', { persona: 'anna', from: 'telegram', to: 'vk' });
		expect(link.status).toBe(200);
		expect(String(link.body.result?.url)).toContain('vk.me/');
		// Her seeded Ozon orders stay with her Ozon buyer id until a parcel insert joins them.
		const messaging = (v: View) =>
			v.customers.filter((c) => c.customer.identities.some((i) => i.type === 'telegram' || i.type === 'vk'));
		const joined = await eventually(async () => {
			const v = await view('anna');
			return messaging(v).length === 1 ? { customers: messaging(v) } : undefined;
		});
		const types = joined.customers[0]!.customer.identities.map((i) => i.type);
		expect(types.filter((t) => ['phone', 'telegram', 'vk'].includes(t)).sort()).toEqual([
			'phone',
			'telegram',
			'vk',
		]);

		// The shop answers from its side; the answer reaches the messenger Anna last wrote from (VK).
		const reply = await act('shop.reply', {
			customerId: joined.customers[0]!.customer.id,
			text: 'Спасибо, Анна!',
		});
		expect(reply.status).toBe(200);
		await eventually(async () => (await view('anna')).received.vk.some((m) => m.text === 'Спасибо, Анна!'));
		expect(texts(await view('anna'))).toContain('Спасибо, Анна!');
	});

	it('installs the app into the portal: the card tab gets a session, the customer a contact card', async () => {
		const session = await appSession(demo);
		expect(session.status).toBe(200);
		expect(session.body?.tenantId).toBe(demo.tenants.bitrix24);
		// Anna wrote in the test above: Nitka made her contact in the portal through the open line.
		const card = await eventually(
			async () => (await page(demo).view('anna')).customers[0]?.bitrix24Card ?? undefined,
		);
		const html = await fetch(card);
		expect(html.status).toBe(200);
		expect(await html.text()).toContain('Анна');
	});

	it('puts a marketplace order and its status on the buyer timeline; the parcel insert joins it to Telegram', async () => {
		const { act, view } = page(demo);
		const placed = await act('marketplace.place-order', { marketplace: 'ozon', persona: 'boris' });
		expect(placed.body.result).toMatchObject({
			marketplace: 'ozon',
			status: 'awaiting_packaging',
			buyer: 'Борис Иванов',
		});
		const orderId = String(placed.body.result?.id);
		const orderEvents = (v: View) =>
			v.customers.flatMap((c) => c.timeline.filter((e) => e.data.orderId === orderId).map((e) => e.type));
		await eventually(async () => orderEvents(await view('boris')).includes('order.created'), 10_000);
		const moved = await act('marketplace.advance-order', { marketplace: 'ozon', orderId });
		expect(moved.body.result).toMatchObject({ status: 'awaiting_deliver' });
		await eventually(async () => orderEvents(await view('boris')).length >= 2, 10_000);

		const insert = await act('marketplace.follow-insert', { marketplace: 'ozon', orderId, persona: 'boris' });
		expect(insert.status).toBe(200);
		expect(String(insert.body.result?.url)).toContain('t.me/');
		const joined = await eventually(async () => {
			const v = await view('boris');
			// His Yandex Market buyer stays apart: only the Ozon order's buyer was joined.
			return v.customers.find((c) => {
				const types = c.customer.identities.map((i) => i.type);
				return types.includes('telegram') && types.includes('ozon_buyer');
			});
		});
		expect(joined.timeline.some((e) => e.type === 'order.created' && e.data.orderId === orderId)).toBe(true);
	});

	it('opens the counter screen already paired; Anna asks for her card in Telegram and the counter scans its QR', async () => {
		const { act, view } = page(demo);
		const screens = await counterScreens(demo);
		expect(screens.map((s) => s.url.split('#')[0])).toEqual([
			`${demo.urls.connector}/counter/`,
			`${demo.urls.connector}/counter/`,
		]);
		// The key rides in the fragment only, and it is a live device key of each location.
		const sessions = await Promise.all(screens.map((s) => counterSession(demo, s.key)));
		expect(sessions.map((s) => s.status)).toEqual([200, 200]);
		expect(sessions.map((s) => s.body.location.name)).toEqual([
			'Магазин на Покровке',
			'Пункт выдачи на Ленина',
		]);
		expect(screens.every((s) => !new URL(s.url).search)).toBe(true);

		const asked = await act('card.ask', { persona: 'anna', messenger: 'telegram' });
		expect(asked.status).toBe(200);
		const cardUrl = String(asked.body.result?.url);
		expect(cardUrl.startsWith(`${demo.urls.connector}/card/nc1.`)).toBe(true);
		expect((await view('anna')).cardLink).toBe(cardUrl);
		const cardPage = await fetch(cardUrl);
		expect(cardPage.status).toBe(200);
		expect(await cardPage.text()).toContain('Анна');

		const scanned = await act('counter.scan-card', { persona: 'anna', location: 'store' });
		expect(scanned.status).toBe(200);
		expect(scanned.body.result?.loyaltyNumber).toMatch(/^2\d{12}$/);
		expect(String(scanned.body.result?.name)).toContain('Анна');
		// Each scan reads the QR the page shows now: a fresh single-use token, so scanning again works.
		const again = await act('counter.scan-card', { persona: 'anna', location: 'pickupPoint' });
		expect(again.status).toBe(200);
		expect(again.body.result?.customerId).toBe(scanned.body.result?.customerId);
		// Vera never asked for a card: the page says what to do first.
		expect((await act('counter.scan-card', { persona: 'vera' })).status).toBe(409);
	});

	it('journey 1: Anna orders in the Telegram bot for pickup; a Bitrix24 deal; the counter marks it ready and hands it over', async () => {
		const { act, view } = page(demo);
		const tgTexts = async () => (await view('anna')).received.telegram.map((m) => m.text);
		const ordered = await act('pickup.order', { persona: 'anna', location: 'store' });
		expect(ordered.status).toBe(200);
		const number = String(ordered.body.result?.number);
		// The order is a deal in the portal, with the catalog's product on it.
		const { state } = demo.context.platforms.bitrix24.portal();
		const deal = await eventually(async () =>
			state.crm.all(2).find((d) => String(d.fields.ORIGIN_ID).startsWith('chat:chat-order:')),
		);
		expect(String(deal.ID)).toBe(number);
		expect(String(deal.fields.TITLE)).toContain('Магазин на Покровке');

		// Nothing to hand over before it is ready.
		expect((await act('counter.hand-over', { persona: 'anna' })).status).toBe(409);
		const ready = await act('counter.mark-ready', { persona: 'anna', location: 'store' });
		expect(ready.status).toBe(200);
		expect(ready.body.result).toMatchObject({ number, state: 'ready' });
		await eventually(
			async () => (await tgTexts()).some((t) => t.includes(`Заказ №${number} готов!`)),
			15_000,
		);

		// She shows her card (asked for above) and collects it; the thank-you comes in the same chat.
		const handed = await act('counter.hand-over', { persona: 'anna', location: 'store' });
		expect(handed.status).toBe(200);
		expect(handed.body.result).toMatchObject({ number, duplicate: false });
		await eventually(
			async () => (await tgTexts()).some((t) => t.includes(`Спасибо, что забрали заказ №${number}`)),
			15_000,
		);
		await eventually(async () => state.crm.get(2, deal.ID)?.fields.STAGE_ID === 'WON', 15_000);
		const events = (await view('anna')).customers.flatMap((c) => c.timeline.map((e) => e.type));
		expect(events).toEqual(expect.arrayContaining(['order.created', 'pos.pickup']));
	});

	it('journey 2: codes go to consenting VK customers only; the counter redeems one once; the thank-you arrives in VK', async () => {
		const { act, view } = page(demo);
		// Boris and Vera agreed to offers in VK (the demo's seed pressed the bot's button as them).
		const campaign = await act('promo.issue', {});
		expect(campaign.status).toBe(200);
		expect(campaign.body.result).toMatchObject({ issued: 2, messaged: 2 });
		const codeOf = (v: View) =>
			/Ваш персональный промокод: (VK[A-Z2-9]{8})/.exec(v.received.vk.map((m) => m.text).join('\n'))?.[1];
		const borisCode = await eventually(async () => codeOf(await view('boris')));
		await eventually(async () => (await view('vera')).received.vk.some((m) => m.text.includes('Скидка 15%')));
		// Anna wrote in VK but never agreed: no code.
		expect(codeOf(await view('anna'))).toBeUndefined();

		expect((await act('card.ask', { persona: 'boris', messenger: 'vk' })).status).toBe(200);
		const redeemed = await act('counter.redeem', { persona: 'boris', location: 'store' });
		expect(redeemed.status).toBe(200);
		expect(redeemed.body.result).toMatchObject({ code: borisCode, duplicate: false });
		const twice = await act('counter.redeem', { persona: 'boris', code: borisCode });
		expect(twice.status).toBe(409);
		expect((twice.body as { problem?: { code?: string } }).problem?.code).toBe('code-redeemed');

		const thanks = await eventually(async () =>
			(await view('boris')).received.vk.find((m) => m.text.includes('заглянули')),
		);
		expect(thanks.text).toContain('Магазин на Покровке');
		expect(thanks.text).toContain('Будем рады видеть вас снова!');
		expect(thanks.text).toMatch(/Ваш следующий промокод: NX[A-Z2-9]{8}/);
		const events = (await view('boris')).customers.flatMap((c) => c.timeline);
		expect(events.some((e) => e.type === 'promo.redeemed' && e.channel === 'pos')).toBe(true);

		// Anna asks herself: the bot asks for her consent first, then sends her own code.
		expect((await act('promo.ask', { persona: 'anna', messenger: 'vk' })).status).toBe(200);
		await eventually(async () =>
			(await view('anna')).received.vk.some((m) => m.text.includes('только тем, кто согласился')),
		);
		expect((await act('promo.consent', { persona: 'anna', messenger: 'vk' })).status).toBe(200);
		const annaCode = await eventually(async () => codeOf(await view('anna')));
		expect(annaCode).not.toBe(borisCode);
	});

	it('journey 3: Boris returns his Ozon order from Telegram; the manager completes the Bitrix24 task; the counter takes the goods back by the return QR', async () => {
		const { act, view } = page(demo);
		const tgTexts = async () => (await view('boris')).received.telegram.map((m) => m.text);
		// His Ozon order joined his Telegram by the parcel insert above: the bot offers it.
		const requested = await act('return.request', { persona: 'boris', reason: 'Пришёл не тот размер' });
		expect(requested.status).toBe(200);
		const number = String(requested.body.result?.number);
		expect(number).toMatch(/^R-[0-9A-Z]{8}$/);
		expect(String(requested.body.result?.order)).toMatch(/\d/);

		const { state } = demo.context.platforms.bitrix24.portal();
		const task = await eventually(async () =>
			[...tasksOf(state).values()].find((t) => t.TITLE.startsWith(`Возврат ${number}`)),
		);
		expect(task.DESCRIPTION).toContain('Пришёл не тот размер');
		const approved = await eventually(async () => {
			const answer = await act('return.approve', { persona: 'boris', via: 'bitrix24' });
			return answer.status === 200 ? answer : undefined;
		});
		expect(approved.body.result?.taskId).toBe(task.ID);
		await eventually(
			async () => (await tgTexts()).some((t) => t.includes(`Возврат ${number} одобрен`)),
			15_000,
		);
		expect((await view('boris')).returnLink).toMatch(/\/returns\/nq1\./);

		const accepted = await act('counter.accept-return', { persona: 'boris', location: 'store' });
		expect(accepted.status).toBe(200);
		expect(accepted.body.result).toMatchObject({ duplicate: false });
		// The same QR again is spent.
		const again = await act('counter.accept-return', { persona: 'boris' });
		expect(again.status).toBe(409);
		expect((again.body as { problem?: { code?: string } }).problem?.code).toBe('token-used');
		await eventually(async () =>
			(await tgTexts()).some((t) => t.includes(`Возврат ${number} принят в магазине «Магазин на Покровке»`)),
		);
		await eventually(async () => tasksOf(state).get(task.ID)?.STATUS === 5);
		const events = (await view('boris')).customers.flatMap((c) => c.timeline.map((e) => e.type));
		expect(events).toEqual(expect.arrayContaining(['return.requested', 'return.approved', 'pos.return']));

		// A shop without ticket events approves through the API; a return needs no order.
		expect(
			(await act('return.request', { persona: 'anna', reason: 'Кружка треснула', withoutOrder: true }))
				.status,
		).toBe(200);
		expect((await act('return.approve', { persona: 'anna', via: 'api' })).status).toBe(200);
		await eventually(async () => (await view('anna')).returnLink);
	});

	it('starts again on the same data: same customers, channels kept, new messages still arrive', async () => {
		const before = await counterScreens(demo);
		const { act, view } = page(demo);
		await act('max.write', { persona: 'vera', text: 'MAX, первый запуск' });
		await eventually(async () => texts(await view('vera')).includes('MAX, первый запуск'));
		const firstTenant = demo.tenants.bitrix24;
		await demo.stop();

		demo = await startDemo({ dataDir, port: 0, logLevel: 'silent' });
		const again = page(demo);
		expect(texts(await again.view('anna'))).toContain('Здравствуйте из Telegram');
		await again.act('telegram.write', { persona: 'anna', text: 'Снова я' });
		await again.act('max.write', { persona: 'vera', text: 'MAX, второй запуск' });
		await eventually(async () => texts(await again.view('anna')).includes('Снова я'));
		await eventually(async () => texts(await again.view('vera')).includes('MAX, второй запуск'));
		const { items } = await demo.context.api.call(
			'GET',
			'/connections',
			z.object({ items: z.array(ConnectionSchema) }),
		);
		expect(
			items
				.filter((c) => c.status === 'active')
				.map((c) => c.channel)
				.sort(),
		).toEqual(['max', 'ozon', 'telegram', 'vk', 'wildberries', 'yandex-market']);
		expect(items).toHaveLength(6);
		// One tenant across runs: the app's install on the new portal found it, and its session still works.
		const session = await appSession(demo);
		expect(session.body?.tenantId).toBe(demo.tenants.bitrix24);
		expect(demo.tenants.bitrix24).toBe(firstTenant);
		// Each start pairs the tablets with fresh keys and revokes the earlier run's.
		const after = await counterScreens(demo);
		expect((await counterSession(demo, before[0]!.key)).status).toBe(401);
		expect((await counterSession(demo, after[0]!.key)).status).toBe(200);
		// The campaigns and the consents are kept, not made twice.
		const campaigns = await demo.context.api.call(
			'GET',
			'/promo-campaigns',
			z.object({ items: z.array(z.object({ name: z.string() })) }),
		);
		expect(campaigns.items.filter((c) => c.name.startsWith('Демо:'))).toHaveLength(2);
		// A new order after the restart is a new order, not one the first run already had.
		const placed = await again.act('marketplace.place-order', { marketplace: 'ozon', persona: 'vera' });
		const orderId = String(placed.body.result?.id);
		await eventually(async () =>
			(await again.view('vera')).customers.some((c) =>
				c.timeline.some((e) => e.type === 'order.created' && e.data.orderId === orderId),
			),
		);
	});
});
