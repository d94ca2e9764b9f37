import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the Callback sender made to a test receiver. */
export interface ReceivedCallback {
	headers: IncomingHttpHeaders;
	body: Record<string, unknown>;
}

export type Answer = (received: ReceivedCallback, res: ServerResponse) => void;

/**
 * A Callback API receiver for tests: records every POST and answers with `answer` (default:
 * the confirmation code for `confirmation`, plain `ok` otherwise).
 */
export async function startReceiver(confirmationCode: string, answer?: Answer) {
	const received: ReceivedCallback[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
			const entry = { headers: req.headers, body };
			received.push(entry);
			if (answer) return answer(entry, res);
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end(body.type === 'confirmation' ? confirmationCode : 'ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/vk`,
		received,
		events: () => received.filter((r) => r.body.type !== 'confirmation'),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Calls the emulator's API over plain fetch (no client-side throttling), urlencoded like VK wants. */
export async function callApi(
	baseUrl: string,
	method: string,
	params: Record<string, string | number>,
	init: { headers?: Record<string, string>; get?: boolean } = {},
): Promise<Record<string, unknown>> {
	const body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
	const url = `${baseUrl}/method/${method}`;
	const response = init.get
		? await fetch(`${url}?${body}`, { headers: init.headers ?? {} })
		: await fetch(url, { method: 'POST', body, headers: init.headers ?? {} });
	return (await response.json()) as Record<string, unknown>;
}

/** A clock tests move by hand. */
export function manualClock(start = 1_750_000_000_000) {
	let now = start;
	return {
		now: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}
