import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, type Bitrix24Stack, startBitrix24Stack } from './stack.ts';

// The frame session check counts against the portal's leaky bucket: it queues at the per-portal
// limiter, waits briefly when the portal is full, answers 503 + Retry-After when the portal stays
// busy, and 401 only when the portal refuses the token.
describe('Bitrix24: session check under load', () => {
	let stack: Bitrix24Stack;

	const askSession = async (accessToken?: string) => {
		const frame = stack.b24.issueFrameAuth(APP_ID);
		const response = await fetch(`${stack.server.url}/api/v1/hosts/bitrix24/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				domain: frame.domain,
				memberId: frame.memberId,
				accessToken: accessToken ?? frame.accessToken,
			}),
		});
		return {
			status: response.status,
			type: response.headers.get('content-type') ?? '',
			retryAfter: response.headers.get('retry-after'),
			body: (await response.json()) as { code?: string; token?: string },
		};
	};

	beforeAll(async () => {
		stack = await startBitrix24Stack({ limits: { burst: 5, drainPerSecond: 10 } });
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
	});
	afterAll(async () => {
		await stack?.close();
	});

	it('waits its turn: concurrent sessions beyond the burst all succeed', async () => {
		// 6 sessions × 3 checks = 18 calls against a burst of 5: unthrottled, most would be refused.
		const answers = await Promise.all(Array.from({ length: 6 }, () => askSession()));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
	});

	it('rides out a short QUERY_LIMIT_EXCEEDED from the portal', async () => {
		stack.b24.faults.add({ match: 'profile', fault: { kind: 'rate-limit' }, times: 2 });
		const answer = await askSession();
		expect(answer.status).toBe(200);
		expect(answer.body.token).toBeTruthy();
	});

	it('answers 503 problem JSON with Retry-After while the portal stays busy', async () => {
		const stop = stack.b24.faults.add({ match: 'user.current', fault: { kind: 'rate-limit' } });
		try {
			const answer = await askSession();
			expect(answer.status).toBe(503);
			expect(answer.type).toContain('application/problem+json');
			expect(answer.body.code).toBe('temporarily_unavailable');
			expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
		} finally {
			stop();
		}
		expect((await askSession()).status).toBe(200);
	});

	it('answers 401 only when the portal refuses the token', async () => {
		stack.b24.faults.add({ match: 'profile', fault: { kind: 'expired-token' }, times: 1 });
		expect((await askSession()).status).toBe(401);
		expect((await askSession('f'.repeat(70))).status).toBe(401);
		expect((await askSession()).status).toBe(200);
	});
});
