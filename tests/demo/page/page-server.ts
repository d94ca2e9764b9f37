import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { type DemoAction, DemoConflictError } from '../actions/define-action.ts';
import { demoActions } from '../actions/registry.ts';
import { ConnectorApiError } from '../connector/connector-api.ts';
import type { DemoContext } from '../demo-context.ts';
import { OrderNotMovableError } from '../marketplaces/marketplace-desk.ts';
import { PersonaIdSchema } from '../personas.ts';
import { personaView } from '../views/persona-view.ts';

const staticDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

/** What `/api/state` tells the page besides the scenes (computed per request, so parts that land show up). */
export type DemoStateProvider = () => Promise<Record<string, unknown>>;

const ActionName = z.enum(
	Object.keys(demoActions) as [keyof typeof demoActions, ...(keyof typeof demoActions)[]],
);

/** The demo page and its small JSON API: state, a persona's view, orders, and the actions. */
export function createPageApp(ctx: DemoContext, state: DemoStateProvider): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.use((_req, res, next) => {
		// The page renders customer text as text; the policy makes sure nothing else runs either.
		res.setHeader('content-security-policy', "default-src 'self'; frame-ancestors 'none'");
		res.setHeader('x-content-type-options', 'nosniff');
		next();
	});
	app.use(express.static(staticDir, { index: 'index.html' }));
	app.get('/favicon.ico', (_req, res) => {
		res.status(204).end();
	});
	app.use('/api', express.json({ limit: '16kb' }));

	app.get('/api/state', async (_req, res) => {
		res.json(await state());
	});
	app.get('/api/personas/:persona', async (req, res) => {
		res.json(await personaView(ctx, PersonaIdSchema.parse(req.params.persona)));
	});
	app.get('/api/orders', (_req, res) => {
		res.json(Object.fromEntries(Object.entries(ctx.marketplaces).map(([id, desk]) => [id, desk.list()])));
	});
	app.post('/api/actions/:name', async (req, res) => {
		// JSON only: a cross-site form cannot post here, so another page cannot act as the visitor.
		if (!req.is('application/json')) {
			res.status(415).json({ error: 'send application/json' });
			return;
		}
		const action: DemoAction = demoActions[ActionName.parse(req.params.name)];
		res.json({ ok: true, result: await action.run(ctx, action.input.parse(req.body)) });
	});

	app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
		if (error instanceof z.ZodError) res.status(400).json({ error: 'invalid input', issues: error.issues });
		else if (error instanceof DemoConflictError || error instanceof OrderNotMovableError)
			res.status(409).json({ error: error.message });
		else if (error instanceof ConnectorApiError)
			res.status(error.status).json({ error: 'connector', problem: error.problem });
		else {
			process.stderr.write(`demo page: ${(error as Error).message}\n`);
			res.status(500).json({ error: 'internal error' });
		}
	});
	return app;
}

/** Listens on loopback; when the wished port is taken, on any free one. */
export async function listenOnLoopback(
	app: express.Express,
	port: number,
): Promise<{ server: Server; url: string }> {
	const attempt = (p: number) =>
		new Promise<Server>((resolve, reject) => {
			const server = app.listen(p, '127.0.0.1');
			server.once('listening', () => resolve(server));
			server.once('error', reject);
		});
	let server: Server;
	try {
		server = await attempt(port);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
		server = await attempt(0);
	}
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
