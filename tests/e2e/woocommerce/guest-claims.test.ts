import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCustomerByIdentifier } from '../../../connector-server/src/core/identity/identity-graph.ts';
import { sign } from '../../../connector-server/src/hosts/woocommerce/signature.ts';
import { SIGNED_MEDIA_TYPE } from '../../../connector-server/src/http/routes/woocommerce.ts';
import { eventually, seedTelegramTenant, startTestServer, type TestServer } from '../../support/server.ts';

/**
 * The account-takeover attempt through a guest checkout, against the real connector as the plugin
 * talks to it (signed): a guest order placed with a customer's email and phone, then the thank-you
 * page's deep link followed from the attacker's Telegram. The order keeps a customer of its own
 * (with a review for the shop), the link joins the attacker's chat to that order only, and the
 * order screen shows the order's own customer.
 */
describe('WooCommerce guest checkout with somebody else’s email and phone', () => {
	let t: TestServer;
	let seed: Awaited<ReturnType<typeof seedTelegramTenant>>;
	let site: { siteId: string; secret: string };
	const email = 'anna.petrova@lenta-shop.ru';
	const phone = '+79121112233';
	const now = () => Math.floor(Date.now() / 1000);

	const signed = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
		const text = body === undefined ? '' : JSON.stringify(body);
		const timestamp = now();
		const nonce = randomBytes(16).toString('base64url');
		const response = await fetch(`${t.url}${path}`, {
			method,
			headers: {
				'x-nitka-site': site.siteId,
				'x-nitka-timestamp': String(timestamp),
				'x-nitka-nonce': nonce,
				'x-nitka-signature': sign(site.secret, { method, path, timestamp, nonce, body: text }),
				...(body === undefined ? {} : { 'content-type': SIGNED_MEDIA_TYPE }),
			},
			...(body === undefined ? {} : { body: text }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	const order = (orderId: number, customerId: number) => ({
		orderId: String(orderId),
		number: String(orderId),
		status: 'processing',
		total: '2490.00',
		currency: 'RUB',
		customerId,
		billing: { firstName: 'Анна', lastName: 'Петрова', email, phone },
		items: [{ name: 'Льняная скатерть', quantity: 1, total: '2490.00', sku: 'LIN-1' }],
		createdAt: now(),
		modifiedAt: now(),
	});

	const start = async (telegramId: number, updateId: number, token: string) => {
		const response = await fetch(`${t.url}/hooks/telegram/${seed.connection.id}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': seed.webhookSecret },
			body: JSON.stringify({
				update_id: updateId,
				message: {
					message_id: updateId,
					date: now(),
					chat: { id: telegramId, type: 'private', first_name: 'Anna' },
					from: { id: telegramId, is_bot: false, first_name: 'Anna' },
					text: `/start ${token}`,
					entities: [{ type: 'bot_command', offset: 0, length: 6 }],
				},
			}),
		});
		expect(response.status).toBe(200);
	};

	const rootOfTelegram = (id: number) =>
		findCustomerByIdentifier(t.server.db, seed.tenant.id, 'telegram', String(id));

	beforeAll(async () => {
		t = await startTestServer();
		seed = await seedTelegramTenant(t.server);
		const code = await fetch(`${t.url}/api/v1/woocommerce/pairing-codes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${seed.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ tenantId: seed.tenant.id }),
		});
		const paired = await fetch(`${t.url}/api/v1/woocommerce/pair`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				code: ((await code.json()) as { code: string }).code,
				siteUrl: 'https://lenta-shop.ru',
				siteName: 'Lenta',
			}),
		});
		expect(paired.status).toBe(201);
		site = (await paired.json()) as { siteId: string; secret: string };
	});

	afterAll(async () => {
		await t?.stop();
	});

	it('keeps the victim’s timeline out of the attacker’s Telegram and shows the shop a review', async () => {
		// The victim: a signed-in customer whose order's thank-you link joined their Telegram.
		const own = await signed('POST', '/api/v1/woocommerce/links', { order: order(7001, 42) });
		expect(own.status).toBe(201);
		await start(1001, 1, own.body.token as string);
		const victim = await eventually(() => rootOfTelegram(1001).then((id) => id ?? undefined));
		expect(await findCustomerByIdentifier(t.server.db, seed.tenant.id, 'woocommerce_customer', '42')).toBe(
			victim,
		);

		// The attacker checks out as a guest with the victim's email and phone, then follows the link.
		const theirs = await signed('POST', '/api/v1/woocommerce/links', { order: order(7002, 0) });
		expect(theirs.status).toBe(201);
		await start(6666, 2, theirs.body.token as string);
		const attacker = await eventually(async () => {
			const root = await rootOfTelegram(6666);
			const used = await t.server.db
				.selectFrom('link_tokens')
				.select('used_at')
				.where('tenant_id', '=', seed.tenant.id)
				.where('order_id', '=', '7002')
				.executeTakeFirst();
			return root && used?.used_at ? root : undefined;
		});
		expect(attacker).not.toBe(victim);

		// The victim's customer still has only the victim's chat.
		const victimView = await signed('GET', '/api/v1/woocommerce/timeline?wcCustomer=42');
		const identities = (victimView.body.customer as { identities: { type: string; value: string }[] })
			.identities;
		expect(identities.filter((i) => i.type === 'telegram').map((i) => i.value)).toEqual(['1001']);

		// The attacker's order screen shows the order's own customer (with the attacker's chat), not the victim.
		const screen = await signed(
			'GET',
			`/api/v1/woocommerce/timeline?orderId=7002&email=${encodeURIComponent(email)}`,
		);
		expect((screen.body.customer as { id: string }).id).toBe(attacker);

		// The shop sees a review it can accept if the two orders really are one person's.
		const reviews = await fetch(`${t.url}/api/v1/tenants/${seed.tenant.id}/merge-reviews`, {
			headers: { authorization: `Bearer ${seed.apiKey}` },
		});
		const items = ((await reviews.json()) as { items: { customerIds: string[]; reason: string }[] }).items;
		const review = items.find((r) => [...r.customerIds].sort().join() === [victim, attacker].sort().join());
		expect(review?.reason).toMatch(/nobody authenticated/);
	});
});
