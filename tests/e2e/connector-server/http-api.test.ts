import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { createTenant } from '../../../connector-server/src/core/tenants/tenant-repository.ts';
import { eventually, seedTelegramTenant, startTestServer, type TestServer } from '../../support/server.ts';

/** A Telegram update as the Bot API documents it (message with text, from a private chat). */
function textUpdate(updateId: number, userId: number, text: string) {
	return {
		update_id: updateId,
		message: {
			message_id: updateId,
			date: 1_763_892_000 + updateId,
			chat: { id: userId, type: 'private', first_name: 'Анна' },
			from: { id: userId, is_bot: false, first_name: 'Анна', last_name: 'Петрова', language_code: 'ru' },
			text,
		},
	};
}

describe('connector HTTP API (SQLite, workers on)', () => {
	let t: TestServer;
	let seed: Awaited<ReturnType<typeof seedTelegramTenant>>;
	let hook: string;

	beforeAll(async () => {
		t = await startTestServer();
		seed = await seedTelegramTenant(t.server, 'Agency One');
		hook = `${t.url}/hooks/telegram/${seed.connection.id}`;
	});
	afterAll(async () => {
		await t?.stop();
	});

	const api = (path: string, init: RequestInit & { key?: string } = {}) =>
		fetch(`${t.url}/api/v1/tenants/${seed.tenant.id}${path}`, {
			...init,
			headers: {
				authorization: `Bearer ${init.key ?? seed.apiKey}`,
				'content-type': 'application/json',
				...(init.headers ?? {}),
			},
		});
	const post = (url: string, body: unknown, secret: string | null = seed.webhookSecret) =>
		fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
			},
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});

	it('refuses a webhook with a wrong or missing secret and stores nothing', async () => {
		expect((await post(hook, textUpdate(1, 42, 'hi'), 'wrong')).status).toBe(401);
		expect((await post(hook, textUpdate(1, 42, 'hi'), null)).status).toBe(401);
		const stored = await t.server.db.selectFrom('inbox').select('id').execute();
		expect(stored).toHaveLength(0);
	});

	it('stores a webhook, answers 200, and the message reaches the customer timeline once despite redelivery', async () => {
		const first = await post(hook, textUpdate(100, 4242, 'Здравствуйте! Есть ли размер M?'));
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({ ok: true });
		expect((await post(hook, textUpdate(100, 4242, 'Здравствуйте! Есть ли размер M?'))).status).toBe(200);
		const found = await eventually(async () => {
			const res = await api('/customers?identifierType=telegram&identifier=4242');
			const body = (await res.json()) as { items: { id: string; displayName: string }[] };
			return body.items[0];
		});
		expect(found.displayName).toBe('Анна Петрова');
		const timeline = (await (await api(`/customers/${found.id}/timeline?type=message.in`)).json()) as {
			items: { type: string; data: { text: string } }[];
		};
		expect(timeline.items.map((e) => e.data.text)).toEqual(['Здравствуйте! Есть ли размер M?']);
	});

	it('links a phone only from the sender’s own shared contact, and finds the customer by it', async () => {
		const ownContact = {
			update_id: 101,
			message: {
				message_id: 101,
				date: 1_763_892_500,
				chat: { id: 4242, type: 'private' },
				from: { id: 4242, is_bot: false, first_name: 'Анна' },
				contact: { phone_number: '79161234567', first_name: 'Анна', user_id: 4242 },
			},
		};
		const someoneElse = {
			update_id: 102,
			message: {
				message_id: 102,
				date: 1_763_892_600,
				chat: { id: 4242, type: 'private' },
				from: { id: 4242, is_bot: false, first_name: 'Анна' },
				contact: { phone_number: '+79035550000', first_name: 'Пётр', user_id: 777 },
			},
		};
		expect((await post(hook, ownContact)).status).toBe(200);
		expect((await post(hook, someoneElse)).status).toBe(200);
		const byPhone = await eventually(async () => {
			const body = (await (await api('/customers?phone=8%20916%20123-45-67')).json()) as {
				items: { identities: { type: string; verified: boolean }[] }[];
			};
			return body.items[0];
		});
		expect(byPhone.identities.find((i) => i.type === 'phone')?.verified).toBe(true);
		await eventually(async () =>
			(
				await t.server.db
					.selectFrom('inbox')
					.select('status')
					.where('source_key', 'like', '%:102')
					.executeTakeFirst()
			)?.status === 'processed'
				? true
				: undefined,
		);
		const other = (await (await api('/customers?phone=%2B79035550000')).json()) as { items: unknown[] };
		expect(other.items).toEqual([]);
	});

	it('answers bad input with problem JSON that names the field', async () => {
		const notJson = await post(hook, '{not json');
		expect(notJson.status).toBe(400);
		expect(notJson.headers.get('content-type')).toContain('application/problem+json');
		const noUpdateId = await post(hook, { message: {} });
		expect(noUpdateId.status).toBe(400);
		expect(((await noUpdateId.json()) as { detail: string }).detail).toContain('update_id');
		const badLimit = await api('/customers/01ARZ3NDEKTSV4RRFFQ69G5FAV/timeline?limit=5000');
		expect(badLimit.status).toBe(400);
		const problem = (await badLimit.json()) as { code: string; errors: { path: string }[] };
		expect(problem.code).toBe('validation_failed');
		expect(problem.errors.map((e) => e.path)).toContain('query.limit');
		const unknownConnection = await post(
			`${t.url}/hooks/telegram/01ARZ3NDEKTSV4RRFFQ69G5FAV`,
			textUpdate(1, 1, 'x'),
		);
		expect(unknownConnection.status).toBe(404);
		const huge = await post(hook, JSON.stringify({ update_id: 5, pad: 'x'.repeat(2_000_000) }));
		expect(huge.status).toBe(413);
	});

	it('quarantines an accepted update it cannot understand, visibly, with its error', async () => {
		expect((await post(hook, { update_id: 200, message: { message_id: 'not-a-number' } })).status).toBe(200);
		const item = await eventually(async () => {
			const body = (await (await api('/quarantine')).json()) as {
				items: { sourceKey: string; error: string }[];
			};
			return body.items.find((q) => q.sourceKey.endsWith(':200'));
		});
		expect(item.error).toContain('message.message_id');
	});

	it('scopes every query by tenant: another shop’s key is refused, an agency key reaches its tenants only', async () => {
		const db = t.server.db;
		const other = await createTenant(
			db,
			{ kind: 'woocommerce', name: 'Other', externalId: 'https://other.example' },
			Date.now(),
		);
		const otherKey = await issueApiKey(db, { tenantId: other.id }, 'other', Date.now());
		expect((await api('/quarantine', { key: otherKey.key })).status).toBe(403);
		expect((await api('/quarantine', { key: 'nk_garbage' })).status).toBe(401);
		const agencyKey = await issueApiKey(db, { agencyId: seed.agency!.id }, 'agency', Date.now());
		expect((await api('/quarantine', { key: agencyKey.key })).status).toBe(200);
		const listed = (await (
			await fetch(`${t.url}/api/v1/tenants`, { headers: { authorization: `Bearer ${agencyKey.key}` } })
		).json()) as {
			items: { id: string }[];
		};
		expect(listed.items.map((x) => x.id)).toEqual([seed.tenant.id]);
		expect(
			(
				await fetch(`${t.url}/api/v1/tenants/${other.id}/quarantine`, {
					headers: { authorization: `Bearer ${agencyKey.key}` },
				})
			).status,
		).toBe(403);
	});

	it('merges and unmerges customers through the API', async () => {
		expect((await post(hook, textUpdate(300, 5001, 'one'))).status).toBe(200);
		expect((await post(hook, textUpdate(301, 5002, 'two'))).status).toBe(200);
		const find = async (id: number) =>
			await eventually(
				async () =>
					(
						(await (await api(`/customers?identifierType=telegram&identifier=${id}`)).json()) as {
							items: { id: string }[];
						}
					).items[0],
			);
		const a = await find(5001);
		const b = await find(5002);
		const merged = await api('/merges', {
			method: 'POST',
			body: JSON.stringify({ survivorId: a.id, mergedId: b.id }),
		});
		expect(merged.status).toBe(201);
		const { mergeId } = (await merged.json()) as { mergeId: string };
		expect(((await (await api(`/customers/${b.id}`)).json()) as { id: string }).id).toBe(a.id);
		const undone = await api(`/merges/${mergeId}/undo`, {
			method: 'POST',
			body: JSON.stringify({ reason: 'two people' }),
		});
		expect(undone.status).toBe(200);
		expect(((await (await api(`/customers/${b.id}`)).json()) as { id: string }).id).toBe(b.id);
		expect((await api(`/merges/${mergeId}/undo`, { method: 'POST', body: '{}' })).status).toBe(409);
	});

	it('serves health, readiness, metrics and an OpenAPI document covering every route', async () => {
		expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
		expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({
			status: 'ok',
			checks: { database: true, workers: true },
		});
		const metrics = await (await fetch(`${t.url}/metrics`)).text();
		expect(metrics).toMatch(/nitka_inbox_accepted_total\{source="telegram"\} \d+/);
		const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
			paths: Record<string, Record<string, unknown>>;
		};
		const { allRoutes } = await import('../../../connector-server/src/http/app.ts');
		const routes = allRoutes({} as never);
		for (const route of routes) {
			const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
			expect(doc.paths[path]?.[route.method], `${route.method} ${path}`).toBeDefined();
		}
		expect(doc.paths['/hooks/{channel}/{connectionId}']?.post).toBeDefined();
		expect(doc.paths['/api/openapi.json']?.get).toBeDefined();
	});
});
