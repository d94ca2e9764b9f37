import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../marketplace-common/http-client.ts';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { startWildberriesEmulator, type WildberriesEmulator, wbDefaultToken } from './index.ts';

let emu: WildberriesEmulator;
afterEach(async () => {
	await emu.close();
});
const get = (path: string, token = wbDefaultToken) =>
	call(`${emu.url}${path}`, { headers: { Authorization: token } });

describe('Wildberries auth (research §6.1)', () => {
	it('answers a missing or unknown token with the gateway 401 body, and accepts raw and Bearer tokens', async () => {
		emu = await startWildberriesEmulator();
		const none = await call(`${emu.url}/api/v3/orders/new`);
		expect(none.status).toBe(401);
		expect(Object.keys(none.body as object).sort()).toEqual(
			['code', 'detail', 'origin', 'requestId', 'status', 'statusText', 'timestamp', 'title'].sort(),
		);
		expect(none.body).toMatchObject({ title: 'unauthorized', status: 401, statusText: 'Unauthorized' });
		expect((await get('/api/v3/orders/new', 'bogus')).status).toBe(401);
		expect((await get('/api/v3/orders/new')).status).toBe(200);
		expect((await get('/api/v3/orders/new', `Bearer ${wbDefaultToken}`)).status).toBe(200);
	});
});

describe('Wildberries rate limits (research §6.2)', () => {
	it('FBS methods: burst 20, then 429 with X-Ratelimit-* headers; one request back every 200 ms', async () => {
		const clock = new ManualClock();
		emu = await startWildberriesEmulator({ clock });
		const results = [];
		for (let i = 0; i < 25; i++) results.push(await get('/api/v3/orders/new'));
		expect(results.filter((r) => r.status === 200)).toHaveLength(20);
		const limited = results.filter((r) => r.status === 429);
		expect(limited).toHaveLength(5);
		expect(emu.state.rateLimitedTotal).toBe(5);
		const h = limited[0]!.headers;
		expect(h.get('x-ratelimit-retry')).toBe('1');
		expect(h.get('x-ratelimit-limit')).toBe('20');
		expect(h.get('x-ratelimit-remaining')).toBe('0');
		expect(Number(h.get('x-ratelimit-reset'))).toBe(4);
		expect(limited[0]!.body).toMatchObject({
			title: 'too many requests',
			status: 429,
			statusText: 'Too Many Requests',
		});
		clock.advance(200);
		expect((await get('/api/v3/orders/new')).status).toBe(200);
		expect((await get('/api/v3/orders/new')).status).toBe(429);
	});

	it('a 409 answer costs 10 requests', async () => {
		const clock = new ManualClock();
		emu = await startWildberriesEmulator({ clock });
		emu.faults.add({ match: '/api/v3/orders/new', fault: { kind: 'status', status: 409 }, times: 1 });
		expect((await get('/api/v3/orders/new')).status).toBe(409);
		const after = await get('/api/v3/orders/new');
		expect(after.headers.get('x-ratelimit-remaining')).toBe('9');
	});

	it('statistics orders: one request per minute', async () => {
		const clock = new ManualClock();
		emu = await startWildberriesEmulator({ clock });
		const path = '/api/v1/supplier/orders?dateFrom=2026-10-01';
		expect((await get(path)).status).toBe(200);
		const second = await get(path);
		expect(second.status).toBe(429);
		expect(second.headers.get('x-ratelimit-retry')).toBe('60');
		// The marketplace category has its own budget.
		expect((await get('/api/v3/orders/new')).status).toBe(200);
		clock.advance(60_000);
		expect((await get(path)).status).toBe(200);
	});

	it('renders injected faults in WB envelopes', async () => {
		emu = await startWildberriesEmulator();
		emu.faults.add({
			match: '/api/v3/orders/new',
			fault: { kind: 'rate-limit', retryAfterSeconds: 3 },
			times: 1,
		});
		const limited = await get('/api/v3/orders/new');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-ratelimit-retry')).toBe('3');
		emu.faults.add({ match: '/api/v3/orders/new', fault: { kind: 'status', status: 500 }, times: 1 });
		expect((await get('/api/v3/orders/new')).body).toMatchObject({ code: 'InternalServerError', data: null });
		emu.faults.add({ match: '/api/v3/orders/new', fault: { kind: 'expired-token' }, times: 1 });
		expect((await get('/api/v3/orders/new')).status).toBe(401);
	});
});
