import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { sign } from '../../../connector-server/src/hosts/woocommerce/signature.ts';
import { SIGNED_MEDIA_TYPE } from '../../../connector-server/src/http/routes/woocommerce.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

/**
 * The local pairing code (no API key, an embedded connector on this machine) creates a tenant for a
 * new site, but takes over an existing site's tenant only when the site's paired plugin signs the
 * request — or with a code an admin API key issued for that tenant. The site URL proves nothing.
 */
describe('WooCommerce re-pairing with a local code', () => {
	let t: TestServer;
	const siteUrl = 'https://lenta-shop.ru';

	const localCode = async () => {
		const response = await fetch(`${t.url}/api/v1/woocommerce/local-pairing-codes`, { method: 'POST' });
		expect(response.status).toBe(201);
		return ((await response.json()) as { code: string }).code;
	};
	const pair = async (code: string, signer?: { siteId: string; secret: string }) => {
		const path = '/api/v1/woocommerce/pair';
		const body = JSON.stringify({ code, siteUrl, siteName: 'Lenta' });
		const timestamp = Math.floor(Date.now() / 1000);
		const nonce = randomBytes(16).toString('base64url');
		const response = await fetch(`${t.url}${path}`, {
			method: 'POST',
			headers: signer
				? {
						'content-type': SIGNED_MEDIA_TYPE,
						'x-nitka-site': signer.siteId,
						'x-nitka-timestamp': String(timestamp),
						'x-nitka-nonce': nonce,
						'x-nitka-signature': sign(signer.secret, { method: 'POST', path, timestamp, nonce, body }),
					}
				: { 'content-type': 'application/json' },
			body,
		});
		return {
			status: response.status,
			body: (await response.json()) as { tenantId: string; siteId: string; secret: string },
		};
	};

	beforeAll(async () => {
		t = await startTestServer();
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('pairs a new site, refuses an unsigned takeover, re-pairs when the paired plugin signs', async () => {
		const first = await pair(await localCode());
		expect(first.status).toBe(201);

		// Someone else on the machine claims the same site URL with a fresh local code.
		const takeover = await pair(await localCode());
		expect(takeover.status).toBe(409);
		const forged = await pair(await localCode(), { siteId: first.body.siteId, secret: 'not-the-secret' });
		expect(forged.status).toBe(409);

		// The paired plugin re-pairs (a new connector URL in the demo): same tenant, a new secret.
		const again = await pair(await localCode(), first.body);
		expect(again.status).toBe(201);
		expect(again.body.tenantId).toBe(first.body.tenantId);
		expect(again.body.secret).not.toBe(first.body.secret);
		// The old secret no longer signs anything.
		expect((await pair(await localCode(), first.body)).status).toBe(409);

		// An admin API key of the tenant issues a code that re-pairs without the old secret.
		const key = await issueApiKey(t.server.db, { tenantId: first.body.tenantId }, 'admin', Date.now());
		const issued = await fetch(`${t.url}/api/v1/woocommerce/pairing-codes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(issued.status).toBe(201);
		const code = ((await issued.json()) as { code: string }).code;
		const recovered = await pair(code);
		expect(recovered.status).toBe(201);
		expect(recovered.body.tenantId).toBe(first.body.tenantId);
	});
});
