import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>> | undefined;
afterEach(async () => ctx?.close());

describe('leaky bucket (research §3)', () => {
	it('lets a burst of 50 through, then answers 503 QUERY_LIMIT_EXCEEDED, draining 2 per second', async () => {
		const clock = createManualClock();
		ctx = await installedPortal({ clock });
		for (let i = 0; i < 50; i++) expect((await ctx.call('profile')).status).toBe(200);
		expect(await ctx.call('profile')).toMatchObject({
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		});
		clock.advance(500);
		expect((await ctx.call('profile')).status).toBe(200);
		expect((await ctx.call('profile')).status).toBe(503);
		clock.advance(1000);
		expect((await ctx.call('profile')).status).toBe(200);
		expect((await ctx.call('profile')).status).toBe(200);
		expect((await ctx.call('profile')).status).toBe(503);
	});

	it('is configurable (Enterprise 250/5) and counts a batch as one request', async () => {
		const clock = createManualClock();
		ctx = await installedPortal({ clock, limits: { burst: 3, drainPerSecond: 5 } });
		const cmd = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}`, 'profile']));
		for (let i = 0; i < 3; i++) expect((await ctx.call('batch', { cmd })).status).toBe(200);
		expect((await ctx.call('batch', { cmd })).status).toBe(503);
		clock.advance(200);
		expect((await ctx.call('batch', { cmd })).status).toBe(200);
	});

	it('simulates rate-limit storms through the fault injector', async () => {
		ctx = await installedPortal({ clock: createManualClock() });
		ctx.emulator.faults.add({ match: /^crm\./, fault: { kind: 'rate-limit' }, times: 2 });
		expect((await ctx.call('crm.contact.list')).body.error).toBe('QUERY_LIMIT_EXCEEDED');
		expect((await ctx.call('crm.deal.list')).status).toBe(503);
		expect((await ctx.call('crm.deal.list')).status).toBe(200);
	});
});

describe('operating limit (research §3, §0.5)', () => {
	it('blocks one method with 429 OPERATION_TIME_LIMIT after 480 s in 10 min, others keep working', async () => {
		const clock = createManualClock();
		ctx = await installedPortal({
			clock,
			methodCost: (method) => (method === 'crm.contact.list' ? 100 : 0.01),
		});
		for (let i = 0; i < 5; i++) {
			const ok = await ctx.call('crm.contact.list');
			expect(ok.status).toBe(200);
			expect((ok.body.time as { operating: number }).operating).toBe(100 * (i + 1));
		}
		const blocked = await ctx.call('crm.contact.list');
		expect(blocked).toMatchObject({
			status: 429,
			body: {
				error: 'OPERATION_TIME_LIMIT',
				error_description: 'Method is blocked due to operation time limit.',
			},
		});
		expect((await ctx.call('crm.deal.list')).status).toBe(200);
		clock.advance(600_001);
		expect((await ctx.call('crm.contact.list')).status).toBe(200);
	});
});
