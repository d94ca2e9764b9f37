import { describe, expect, it } from 'vitest';
import { connectorBase } from '../../../bitrix-app/src/api/connector-url.ts';
import { createHttp } from '../../../bitrix-app/src/api/http.ts';
import { ApiError } from '../../../bitrix-app/src/api/problem.ts';
import { SessionKeeper } from '../../../bitrix-app/src/api/session.ts';
import type { FrameContext } from '../../../bitrix-app/src/frame/frame-context.ts';
import { crmEntityOf } from '../../../bitrix-app/src/frame/placement.ts';

function fakeFrame(): FrameContext & { freshCalls: number } {
	let n = 0;
	const frame = {
		freshCalls: 0,
		placement: 'CRM_DEAL_DETAIL_TAB',
		placementOptions: { ID: '8061' },
		lang: 'ru',
		isAdmin: true,
		isInstallMode: false,
		auth: async (fresh = false) => {
			if (fresh) frame.freshCalls += 1;
			n += 1;
			return { domain: 'shop.bitrix24.ru', memberId: 'm1', accessToken: `AT${n}` };
		},
		resize: async () => undefined,
		installFinish: async () => undefined,
		setTitle: async () => undefined,
	};
	return frame;
}

const json = (status: number, body: unknown) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('bitrix-app session keeper', () => {
	it('sends the frame auth with the placement and shares one exchange between callers', async () => {
		const bodies: Record<string, unknown>[] = [];
		const keeper = new SessionKeeper('https://c.example', fakeFrame(), async (url, init) => {
			expect(url).toBe('https://c.example/api/v1/hosts/bitrix24/session');
			bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
			return json(200, {
				token: 'S1',
				tenantId: 'T',
				expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
				user: { id: '1', name: 'Admin', isAdmin: true },
				language: 'ru',
			});
		});
		const [a, b] = await Promise.all([keeper.get(), keeper.get()]);
		expect(a).toBe(b);
		expect(bodies).toEqual([
			{
				domain: 'shop.bitrix24.ru',
				memberId: 'm1',
				accessToken: 'AT1',
				placement: 'CRM_DEAL_DETAIL_TAB',
				placementOptions: { ID: '8061' },
			},
		]);
		expect(await keeper.get()).toBe(a);
	});

	it('renews with fresh frame auth once the session is about to expire', async () => {
		const frame = fakeFrame();
		let issued = 0;
		const keeper = new SessionKeeper('', frame, async () => {
			issued += 1;
			// The first session expires in 30 s: inside the renewal margin.
			const ttl = issued === 1 ? 30_000 : 15 * 60_000;
			return json(200, {
				token: `S${issued}`,
				tenantId: 'T',
				expiresAt: Date.now() + ttl,
				user: { id: '1', name: 'A', isAdmin: false },
			});
		});
		expect((await keeper.get()).token).toBe('S1');
		expect((await keeper.get()).token).toBe('S2');
		expect(frame.freshCalls).toBe(1);
	});

	it('turns a refused exchange into an ApiError with the problem detail', async () => {
		const keeper = new SessionKeeper('', fakeFrame(), async () =>
			json(401, {
				type: 'about:blank',
				title: 'Unauthorized',
				status: 401,
				code: 'unauthenticated',
				detail: 'the portal rejected the frame auth',
			}),
		);
		const error = await keeper.get().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect(error).toMatchObject({
			status: 401,
			code: 'unauthenticated',
			message: 'the portal rejected the frame auth',
		});
	});
});

describe('bitrix-app http', () => {
	it('sends the session token, renews it once on 401 and retries', async () => {
		let sessions = 0;
		const keeper = new SessionKeeper('', fakeFrame(), async () => {
			sessions += 1;
			return json(200, {
				token: `S${sessions}`,
				tenantId: 'T',
				expiresAt: Date.now() + 900_000,
				user: { id: '1', name: 'A', isAdmin: true },
			});
		});
		const seen: string[] = [];
		const http = createHttp('https://c.example', keeper, async (input, init) => {
			seen.push(`${String(input)} ${new Headers(init?.headers).get('authorization')}`);
			return seen.length === 1
				? json(401, { title: 'x', status: 401, code: 'unauthenticated' })
				: json(200, { ok: 1 });
		});
		expect(
			await http.request('/api/v1/x', {
				query: { channel: ['telegram', 'vk'], cursor: undefined, limit: 30 },
			}),
		).toEqual({ ok: 1 });
		expect(seen).toEqual([
			'https://c.example/api/v1/x?channel=telegram%2Cvk&limit=30 Bearer S1',
			'https://c.example/api/v1/x?channel=telegram%2Cvk&limit=30 Bearer S2',
		]);
	});

	it('keeps validation errors field by field, and names an unreachable connector', async () => {
		const keeper = new SessionKeeper('', fakeFrame(), async () =>
			json(200, {
				token: 'S',
				tenantId: 'T',
				expiresAt: Date.now() + 900_000,
				user: { id: '1', name: 'A', isAdmin: true },
			}),
		);
		const invalid = createHttp('', keeper, async () =>
			json(400, {
				title: 'Bad Request',
				status: 400,
				code: 'validation_failed',
				detail: 'invalid body',
				errors: [{ path: 'body.token', message: 'token is too short' }],
			}),
		);
		const error = (await invalid
			.request('/x', { method: 'POST', body: {} })
			.catch((e: unknown) => e)) as ApiError;
		expect(error.fieldErrors).toEqual(['body.token: token is too short']);
		const offline = createHttp('', keeper, async () => {
			throw new TypeError('Failed to fetch');
		});
		expect(await offline.request('/x').catch((e: unknown) => e)).toMatchObject({
			status: 0,
			code: 'network',
		});
	});
});

describe('bitrix-app connector URL', () => {
	it('is same-origin unless the handler URL names another connector', () => {
		const at = (href: string) => new URL(href) as unknown as Location;
		expect(connectorBase(at('https://nitka.example/bitrix24/app/?DOMAIN=x'))).toBe('https://nitka.example');
		expect(connectorBase(at('http://localhost:5173/?connector=http://127.0.0.1:8080/ignored'))).toBe(
			'http://127.0.0.1:8080',
		);
		expect(connectorBase(at('https://nitka.example/?connector=javascript:alert(1)'))).toBe(
			'https://nitka.example',
		);
	});

	it('ignores ?connector= in a production build (the session token would go to that origin)', () => {
		const at = (href: string) => new URL(href) as unknown as Location;
		expect(
			connectorBase(at('https://nitka.example/bitrix24/app/?connector=https://evil.example'), false),
		).toBe('https://nitka.example');
		expect(connectorBase(at('https://nitka.example/?connector=https://evil.example'), true)).toBe(
			'https://evil.example',
		);
	});
});

describe('bitrix-app session keeper and stale frame tokens', () => {
	it('retries a refused exchange once with fresh frame auth', async () => {
		const frame = fakeFrame();
		const tokens: unknown[] = [];
		const keeper = new SessionKeeper('', frame, async (_url, init) => {
			tokens.push((JSON.parse(String(init.body)) as { accessToken: string }).accessToken);
			return tokens.length === 1
				? json(401, { title: 'Unauthorized', status: 401, code: 'unauthenticated' })
				: json(200, {
						token: 'S',
						tenantId: 'T',
						expiresAt: Date.now() + 900_000,
						user: { id: '1', name: 'A', isAdmin: true },
					});
		});
		expect((await keeper.get()).token).toBe('S');
		expect(tokens).toEqual(['AT1', 'AT2']);
		expect(frame.freshCalls).toBe(1);
	});
});

describe('bitrix-app session keeper and a busy portal', () => {
	it('waits as long as Retry-After says (capped) when the portal is busy, then gets the session', async () => {
		const waits: number[] = [];
		let calls = 0;
		const keeper = new SessionKeeper(
			'',
			fakeFrame(),
			async () => {
				calls += 1;
				if (calls === 1) {
					return new Response(JSON.stringify({ title: 'Service Unavailable', status: 503, code: 'x' }), {
						status: 503,
						headers: { 'content-type': 'application/problem+json', 'retry-after': '2' },
					});
				}
				return json(200, {
					token: 'S',
					tenantId: 'T',
					expiresAt: Date.now() + 900_000,
					user: { id: '1', name: 'A', isAdmin: true },
				});
			},
			async (ms) => {
				waits.push(ms);
			},
		);
		expect((await keeper.get()).token).toBe('S');
		expect(waits).toEqual([2000]);
	});

	it('gives up after two waits with the 503 problem', async () => {
		const waits: number[] = [];
		const keeper = new SessionKeeper(
			'',
			fakeFrame(),
			async () =>
				new Response(JSON.stringify({ title: 'Service Unavailable', status: 503, code: 'busy' }), {
					status: 503,
					headers: { 'content-type': 'application/problem+json', 'retry-after': '60' },
				}),
			async (ms) => {
				waits.push(ms);
			},
		);
		await expect(keeper.get()).rejects.toMatchObject({ status: 503, code: 'busy' });
		expect(waits).toEqual([5000, 5000]);
	});
});

describe('bitrix-app placements', () => {
	it('maps the three CRM detail tabs to their entity, and nothing else', () => {
		expect(['CRM_CONTACT_DETAIL_TAB', 'CRM_DEAL_DETAIL_TAB', 'CRM_LEAD_DETAIL_TAB'].map(crmEntityOf)).toEqual(
			['contact', 'deal', 'lead'],
		);
		expect(['DEFAULT', 'CRM_COMPANY_DETAIL_TAB', 'CRM_DEAL_DETAIL_ACTIVITY'].map(crmEntityOf)).toEqual([
			null,
			null,
			null,
		]);
	});
});
