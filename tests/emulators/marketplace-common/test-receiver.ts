import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
	path: string;
	body: unknown;
}

export type ReceiverHandler = (push: ReceivedPush, res: ServerResponse) => unknown;

/** A stand-in for the connector's webhook endpoint in fidelity tests: records pushes, answers as told. */
export async function startTestReceiver(handler: ReceiverHandler) {
	const received: ReceivedPush[] = [];
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		let raw = '';
		req.on('data', (chunk: Buffer) => {
			raw += chunk.toString('utf8');
		});
		req.on('end', () => {
			const push = { path: req.url ?? '/', body: JSON.parse(raw) as unknown };
			received.push(push);
			void handler(push, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () =>
			new Promise<void>((done) => {
				server.closeAllConnections();
				server.close(() => done());
			}),
	};
}

export function answerJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}
