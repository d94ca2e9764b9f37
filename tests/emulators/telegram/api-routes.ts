import type { Express, Request, Response } from 'express';
import type { FaultInjector } from '../kit/index.ts';
import { notFound, statusError, TelegramApiError, tooManyRequests, unauthorized } from './errors.ts';
import type { TelegramLimits } from './limits.ts';
import { Described } from './methods/context.ts';
import { findMethod } from './methods/index.ts';
import { type MultipartBody, parseMultipart, readRawBody } from './multipart.ts';
import { Params } from './params.ts';
import type { TelegramState } from './state.ts';
import type { WebhookPusher } from './webhook-pusher.ts';

// Bot tokens look like `123456:AA…`; a path that doesn't is not a Bot API path at all (404).
const methodPath = /^\/bot(\d+:[A-Za-z0-9_-]+)\/(?:test\/)?([A-Za-z]+)$/;
const filePath = /^\/file\/bot([^/]+)\/(.+)$/;

interface RouteDeps {
	state: TelegramState;
	faults: FaultInjector;
	limits: TelegramLimits;
	pusher: WebhookPusher;
}

function send(res: Response, status: number, body: unknown): void {
	if (!res.headersSent) res.status(status).json(body);
}

/** Renders an injected fault in the Bot API's own error envelope. */
async function injectedFault(faults: FaultInjector, target: string): Promise<TelegramApiError | undefined> {
	const fault = await faults.apply(target);
	if (!fault || fault.kind === 'drop') return undefined;
	if (fault.kind === 'rate-limit') return tooManyRequests(fault.retryAfterSeconds ?? 1);
	if (fault.kind === 'expired-token') return unauthorized();
	return statusError(fault.status);
}

/**
 * Mounts `/bot<token>/<method>` (GET or POST; query, JSON, urlencoded or multipart) and the file
 * download `/file/bot<token>/<file_path>`. Fault targets are the canonical method name, and `file`.
 */
export function mountTelegramRoutes(app: Express, deps: RouteDeps): void {
	app.use('/file', async (req: Request, res: Response) => {
		const match = filePath.exec(req.originalUrl.split('?')[0] ?? '');
		const fault = await injectedFault(deps.faults, 'file');
		if (fault) return send(res, fault.errorCode, fault.toJSON());
		const bot = match ? deps.state.bots.get(match[1]!) : undefined;
		if (!match || !bot) return send(res, 401, unauthorized().toJSON());
		const file = bot.fileByPath(decodeURIComponent(match[2]!));
		if (!file) return send(res, 404, notFound().toJSON());
		res.status(200).type(file.mime_type).send(file.data);
	});

	app.use(async (req: Request, res: Response) => {
		const match = methodPath.exec(req.path);
		if (!match) return send(res, 404, notFound().toJSON());
		const [, token, requested] = match as unknown as [string, string, string];
		const method = findMethod(requested);
		const started = deps.state.clock.now();
		let multipart: MultipartBody | undefined;
		let params = Params.from({}, undefined);
		const answer = (status: number, body: unknown) => {
			deps.state.calls.push({
				token,
				method: method?.name ?? requested,
				params: params.toRecord(),
				uploads: Object.keys(multipart?.files ?? {}),
				status,
				at: started,
			});
			send(res, status, body);
		};
		try {
			if (req.is('multipart/form-data')) {
				multipart = parseMultipart(await readRawBody(req), req.headers['content-type'] ?? '');
			}
			params = Params.from(req.query as Record<string, unknown>, req.body, multipart);
			const fault = await injectedFault(deps.faults, method?.name ?? requested);
			if (fault) throw fault;
			const bot = deps.state.bots.get(token);
			if (!bot) throw unauthorized();
			if (!method) throw notFound();
			const controller = new AbortController();
			res.on('close', () => controller.abort());
			const result = await method.handler({
				bot,
				state: deps.state,
				params,
				limits: deps.limits,
				pusher: deps.pusher,
				signal: controller.signal,
			});
			if (result instanceof Described) {
				return answer(200, { ok: true, result: result.result, description: result.description });
			}
			answer(200, { ok: true, result });
		} catch (error) {
			if (error instanceof TelegramApiError) return answer(error.errorCode, error.toJSON());
			console.error('telegram emulator: unexpected error', error);
			const internal = statusError(500);
			answer(500, internal.toJSON());
		}
	});
}
