import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import { FaultInjector } from './faults.ts';
import { RequestLog } from './request-log.ts';

/** A platform emulator's HTTP side, bound to loopback only. */
export interface RunningEmulator {
	/** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
	readonly url: string;
	readonly port: number;
	close(): Promise<void>;
}

/** What every emulator shares: an express app that records what it receives, and a fault injector. */
export interface EmulatorBase {
	readonly app: Express;
	readonly requests: RequestLog;
	readonly faults: FaultInjector;
}

/**
 * Creates the express app of an emulator. Every request is recorded (with its raw body) before
 * the platform's routes see it, so tests can assert on exactly what a client sent.
 */
export function createEmulatorBase(options: { bodyLimit?: string } = {}): EmulatorBase {
	const app = express();
	const requests = new RequestLog();
	const faults = new FaultInjector();
	app.disable('x-powered-by');
	app.set('query parser', 'extended');
	const limit = options.bodyLimit ?? '50mb';
	const keepRaw = (req: Request, _res: unknown, buf: Buffer) => {
		(req as Request & { rawBody?: string }).rawBody = buf.toString('utf8');
	};
	app.use(express.json({ limit, verify: keepRaw, type: ['application/json', 'application/*+json'] }));
	app.use(express.urlencoded({ extended: true, limit, verify: keepRaw }));
	app.use(express.text({ limit, verify: keepRaw, type: 'text/*' }));
	app.use((req, _res, next) => {
		requests.record({
			method: req.method,
			path: req.path,
			query: req.query as Record<string, unknown>,
			headers: req.headers as Record<string, string | string[] | undefined>,
			body: req.body as unknown,
			rawBody: (req as Request & { rawBody?: string }).rawBody ?? '',
			at: Date.now(),
		});
		next();
	});
	return { app, requests, faults };
}

/** Listens on 127.0.0.1 (port 0 picks a free one). */
export async function listen(app: Express, port = 0): Promise<RunningEmulator> {
	return await new Promise((resolve, reject) => {
		const server = app.listen(port, '127.0.0.1', (error?: Error) => {
			if (error) return reject(error);
			const address = server.address() as AddressInfo;
			resolve({
				url: `http://127.0.0.1:${address.port}`,
				port: address.port,
				close: () =>
					new Promise<void>((done) => {
						server.closeAllConnections();
						server.close(() => done());
					}),
			});
		});
		server.on('error', reject);
	});
}
