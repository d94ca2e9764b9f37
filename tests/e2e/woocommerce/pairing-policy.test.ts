import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTelegramTenant, startTestServer, type TestServer } from '../../support/server.ts';

describe('WooCommerce pairing policy', () => {
	let t: TestServer;
	let apiKey: string;
	let tenantId: string;
	beforeAll(async () => {
		t = await startTestServer();
		const seed = await seedTelegramTenant(t.server);
		apiKey = seed.apiKey;
		tenantId = seed.tenant.id;
	});
	afterAll(async () => {
		await t?.stop();
	});

	async function code(): Promise<string> {
		const res = await fetch(`${t.url}/api/v1/woocommerce/pairing-codes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ tenantId }),
		});
		expect(res.status).toBe(201);
		return ((await res.json()) as { code: string }).code;
	}

	const pair = (body: Record<string, unknown>) =>
		fetch(`${t.url}/api/v1/woocommerce/pair`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});

	it('refuses a callback URL on another origin than the shop (the connector must not call arbitrary hosts)', async () => {
		const res = await pair({
			code: await code(),
			siteUrl: 'https://shop.example.ru',
			siteName: 'Shop',
			callbackUrl: 'http://169.254.169.254/latest/meta-data',
		});
		expect(res.status).toBe(400);
		const problem = (await res.json()) as { errors: { path: string }[] };
		expect(problem.errors.map((e) => e.path)).toContain('body.callbackUrl');
	});

	it("accepts the shop's own REST address as its callback", async () => {
		const res = await pair({
			code: await code(),
			siteUrl: 'https://shop.example.ru',
			siteName: 'Shop',
			callbackUrl: 'https://shop.example.ru/wp-json/nitka/v1/connector',
		});
		expect(res.status).toBe(201);
	});
});
