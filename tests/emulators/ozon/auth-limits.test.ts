import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../marketplace-common/http-client.ts';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { type OzonEmulator, ozonDefaultCredentials, startOzonEmulator } from './index.ts';

const headers = { 'Client-Id': ozonDefaultCredentials.clientId, 'Api-Key': ozonDefaultCredentials.apiKey };
const listBody = {
	filter: { since: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
	limit: 1,
	cursor: '',
};

let emu: OzonEmulator;
afterEach(async () => {
	await emu.close();
});

describe('Ozon auth (research §5.1)', () => {
	it('needs both Client-Id and Api-Key, and names a wrong key as the docs do', async () => {
		emu = await startOzonEmulator();
		const missing = await call(`${emu.url}/v4/posting/fbs/list`, { body: listBody });
		expect(missing.status).toBe(401);
		expect(missing.body).toEqual({
			code: 16,
			message: 'Client-Id and Api-Key headers are required',
			details: [],
		});
		const wrong = await call(`${emu.url}/v4/posting/fbs/list`, {
			headers: { ...headers, 'Api-Key': 'nope' },
			body: listBody,
		});
		expect(wrong.status).toBe(403);
		expect(wrong.body).toEqual({
			code: 7,
			message: 'Invalid Api-Key, please check the key and try again',
			details: [],
		});
		emu.state.deactivated.add(ozonDefaultCredentials.clientId);
		const dead = await call(`${emu.url}/v4/posting/fbs/list`, { headers, body: listBody });
		expect((dead.body as { message: string }).message).toMatch(/^Api-key is deactivated/);
	});

	it('answers malformed JSON and unknown methods in the rpcStatus envelope', async () => {
		emu = await startOzonEmulator();
		const res = await fetch(`${emu.url}/v4/posting/fbs/list`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: '{"limit":',
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ code: 3, details: [] });
		const unknown = await call(`${emu.url}/v9/nothing`, { headers, body: {} });
		expect(unknown.body).toMatchObject({ code: 5, message: 'Not Found' });
	});
});

describe('Ozon rate limits (research §5.1)', () => {
	it('allows 50 requests per second per Client-Id, then 429 code 8 with the documented body', async () => {
		const clock = new ManualClock();
		emu = await startOzonEmulator({
			clock,
			credentials: [ozonDefaultCredentials, { clientId: '999', apiKey: 'other' }],
		});
		const statuses = await Promise.all(
			Array.from({ length: 60 }, () => call(`${emu.url}/v4/posting/fbs/list`, { headers, body: listBody })),
		);
		expect(statuses.filter((r) => r.status === 200)).toHaveLength(50);
		const limited = statuses.filter((r) => r.status === 429);
		expect(limited).toHaveLength(10);
		expect(limited[0]!.body).toEqual({
			code: 8,
			message: 'You have reached request rate limit per second',
			details: [],
		});
		expect(emu.state.rateLimitedTotal).toBe(10);
		// Another Client-Id has its own budget.
		const other = await call(`${emu.url}/v4/posting/fbs/list`, {
			headers: { 'Client-Id': '999', 'Api-Key': 'other' },
			body: listBody,
		});
		expect(other.status).toBe(200);
		clock.advance(1_000);
		expect((await call(`${emu.url}/v4/posting/fbs/list`, { headers, body: listBody })).status).toBe(200);
	});

	it('enforces a per-method limit on top of the Client-Id limit', async () => {
		emu = await startOzonEmulator({
			clock: new ManualClock(),
			limits: { perMethodPerSecond: { '/v3/posting/fbs/get': 2 } },
		});
		const p = emu.seller.createPosting();
		const get = () =>
			call(`${emu.url}/v3/posting/fbs/get`, { headers, body: { posting_number: p.posting_number } });
		const results = [await get(), await get(), await get()];
		expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
		expect((await call(`${emu.url}/v4/posting/fbs/list`, { headers, body: listBody })).status).toBe(200);
	});
});

describe('Ozon fault injection', () => {
	it('renders 5xx, rate-limit and dead-key faults in Ozon envelopes, and delays on latency', async () => {
		emu = await startOzonEmulator();
		// The injector fires every matching rule at once, so each fault is added just before its request.
		const send = () => call(`${emu.url}/v4/posting/fbs/list`, { headers, body: listBody });
		emu.faults.add({ match: '/v4/posting/fbs/list', fault: { kind: 'status', status: 503 }, times: 1 });
		const a = await send();
		expect(a.status).toBe(503);
		expect(a.body).toMatchObject({ code: 14, message: 'Internal error' });
		emu.faults.add({ match: '/v4/posting/fbs/list', fault: { kind: 'rate-limit' }, times: 1 });
		expect((await send()).body).toMatchObject({ code: 8 });
		emu.faults.add({ match: '/v4/posting/fbs/list', fault: { kind: 'expired-token' }, times: 1 });
		expect((await send()).status).toBe(403);
		expect((await send()).status).toBe(200);
		emu.faults.add({ match: /fbs/, fault: { kind: 'latency', ms: 50 }, times: 1 });
		const started = performance.now();
		await send();
		expect(performance.now() - started).toBeGreaterThanOrEqual(45);
		expect(emu.requests.filter((r) => r.path === '/v4/posting/fbs/list')).toHaveLength(5);
	});
});
