import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>>;
const clock = createManualClock(Date.UTC(2025, 8, 9, 13, 31, 11, 509));

beforeEach(async () => {
	ctx = await installedPortal({ clock });
});
afterEach(async () => ctx.close());

describe('REST transport (research §2.1)', () => {
	it('serves /rest/{method} and /rest/{method}.json, tolerating duplicate slashes', async () => {
		const base = ctx.emulator.url;
		for (const path of ['/rest/profile', '/rest/profile.json', '/rest//profile', '//rest//profile.json']) {
			const response = await fetch(`${base}${path}?auth=${ctx.token}`);
			expect(response.status, path).toBe(200);
		}
	});

	it('reads auth from the Bearer header, `auth` and `access_token`; JSON and form bodies', async () => {
		const url = `${ctx.emulator.url}/rest/crm.contact.add`;
		const bearer = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ fields: { NAME: 'Json' } }),
		});
		expect(bearer.status).toBe(200);
		const form = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: `access_token=${ctx.token}&fields%5BNAME%5D=Form&fields%5BPHONE%5D%5B0%5D%5BVALUE%5D=%2B79990001122&fields%5BPHONE%5D%5B0%5D%5BVALUE_TYPE%5D=WORK`,
		});
		const id = ((await form.json()) as { result: number }).result;
		const got = await ctx.call('crm.contact.get', { id });
		expect(got.body.result).toMatchObject({
			NAME: 'Form',
			PHONE: [{ VALUE: '+79990001122', VALUE_TYPE: 'WORK', TYPE_ID: 'PHONE' }],
		});
	});

	it('does not read a JSON body on GET (research §2.1, b24-rest-docs#223)', async () => {
		const response = await fetch(`${ctx.emulator.url}/rest/crm.duplicate.findbycomm?auth=${ctx.token}`, {
			method: 'GET',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: '',
			error_description: 'Communication type is not defined.',
		});
	});

	it('answers the CORS preflight and marks responses for browsers', async () => {
		const preflight = await fetch(`${ctx.emulator.url}/rest/profile`, { method: 'OPTIONS' });
		expect(preflight.status).toBe(200);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
		expect(preflight.headers.get('access-control-allow-headers')).toBe('origin, content-type, accept');
		const call = await ctx.call('profile');
		expect(call.headers.get('access-control-allow-origin')).toBe('*');
	});
});

describe('envelopes (research §2.2)', () => {
	it('wraps results with the full time block', async () => {
		const { status, body } = await ctx.call('profile');
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['result', 'time']);
		expect(Object.keys(body.time as object)).toEqual([
			'start',
			'finish',
			'duration',
			'processing',
			'date_start',
			'date_finish',
			'operating_reset_at',
			'operating',
		]);
		expect(body.time).toMatchObject({
			start: 1757424671.509,
			date_start: '2025-09-09T16:31:11+03:00',
			operating: 0,
		});
	});

	it('renders system errors with their codes and statuses', async () => {
		expect(await ctx.call('no.such.method')).toMatchObject({
			status: 404,
			body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
		});
		expect(await ctx.call('crm.contact.add', { fields: 'x' })).toMatchObject({
			status: 400,
			body: { error: '', error_description: "Parameter 'fields' must be array." },
		});
		expect(await ctx.call('placement.bind', { HANDLER: 'https://app.example.ru/' })).toMatchObject({
			status: 400,
			body: { error: 'ERROR_ARGUMENT', argument: 'PLACEMENT' },
		});
	});

	it('refuses app-context methods to webhooks with 403 WRONG_AUTH_TYPE (research §8.7)', async () => {
		const hook = ctx.emulator.createWebhook(1, 'crm,imconnector,placement');
		const denied = await fetch(`${hook}event.bind`, { method: 'POST' });
		expect(denied.status).toBe(403);
		expect(((await denied.json()) as { error: string }).error).toBe('WRONG_AUTH_TYPE');
		const allowed = await fetch(`${hook}crm.contact.list`);
		expect(allowed.status).toBe(200);
		const wrong = await fetch(`${hook.replace(/\/[^/]+\/$/, '/nope/')}crm.contact.list`);
		expect(wrong.status).toBe(401);
	});

	it('injects 5xx and latency faults', async () => {
		ctx.emulator.faults.add({ match: 'profile', fault: { kind: 'status', status: 502 }, times: 1 });
		const front = await fetch(`${ctx.emulator.url}/rest/profile?auth=${ctx.token}`);
		expect(front.status).toBe(502);
		expect(await front.text()).toContain('nginx');
		ctx.emulator.faults.add({ match: 'profile', fault: { kind: 'status', status: 500 }, times: 1 });
		expect(await ctx.call('profile')).toMatchObject({
			status: 500,
			body: { error: 'INTERNAL_SERVER_ERROR' },
		});
		expect((await ctx.call('profile')).status).toBe(200);
	});
});
