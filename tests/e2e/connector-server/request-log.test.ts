import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../connector-server/src/observability/logger.ts';
import { eventually, startTestServer, type TestServer } from '../../support/server.ts';

describe('request logs', () => {
	const lines: string[] = [];
	let t: TestServer;

	beforeAll(async () => {
		const sink = new Writable({
			write(chunk, _enc, done) {
				lines.push(...String(chunk).split('\n').filter(Boolean));
				done();
			},
		});
		t = await startTestServer({}, { logger: createLogger('debug', sink) });
	});
	afterAll(async () => {
		await t?.stop();
	});

	const requestLine = (method: string) =>
		eventually(async () =>
			lines.map((line) => JSON.parse(line)).find((entry) => entry.req?.method === method),
		);

	it('log the route pattern of a push URL, never its secret', async () => {
		const secret = 'pushSecretAbcdef0123456789';
		const response = await fetch(`${t.url}/hooks/marketplaces/ozon/conn_abcdefgh/${secret}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBeGreaterThanOrEqual(400);
		const line = await requestLine('POST');
		expect(line.req).toEqual({
			method: 'POST',
			path: '/hooks/marketplaces/:marketplace/:connectionId/:secret',
		});
		expect(lines.join('\n')).not.toContain(secret);
	});

	it('cut the secret out of a push URL that matched no route', async () => {
		const secret = 'unroutedSecretAbcdef012345';
		const response = await fetch(`${t.url}/hooks/marketplaces/ozon/conn_abcdefgh/${secret}/x/y`);
		expect(response.status).toBe(404);
		const line = await requestLine('GET');
		expect(line.req.path).toBe('/hooks/marketplaces/ozon/conn_abcdefgh/[redacted]/x/y');
		expect(lines.join('\n')).not.toContain(secret);
	});
});
