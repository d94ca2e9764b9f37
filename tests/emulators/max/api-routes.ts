import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import type { FaultInjector, TokenBucket } from '../kit/index.ts';
import {
	invalidToken,
	MaxApiError,
	maxBadRequest,
	maxNotFound,
	maxServerError,
	maxTooManyRequests,
} from './errors.ts';
import { checkKeyboards } from './keyboard.ts';
import type { MaxState } from './state.ts';
import type { MaxMessage } from './types.ts';
import type { MaxWebhookPusher } from './webhook-pusher.ts';

/** How the token may arrive: current docs require the `Authorization` header (the default); older API versions took `?access_token=`. */
export type MaxAuthMode = 'header' | 'query' | 'both';

interface MaxRouteDeps {
	state: MaxState;
	faults: FaultInjector;
	bucket: TokenBucket;
	pusher: MaxWebhookPusher;
	auth: MaxAuthMode;
	maxTextLength: number;
}

const newMessageBody = z.looseObject({
	text: z.string().nullable().optional(),
	attachments: z
		.array(z.looseObject({ type: z.string(), payload: z.unknown().optional() }))
		.nullable()
		.optional(),
	format: z.enum(['markdown', 'html']).nullable().optional(),
	notify: z.boolean().optional(),
});

const botPatchBody = z.looseObject({
	description: z.string().max(16_000).nullable().optional(),
	commands: z
		.array(z.object({ name: z.string().min(1).max(64), description: z.string().min(1).max(128).optional() }))
		.max(32)
		.optional(),
});

const subscriptionBody = z.object({
	url: z.string().url(),
	update_types: z.array(z.string()).optional(),
	version: z.string().optional(),
	secret: z.string().optional(),
});

const optionalInt = (value: unknown): number | undefined => {
	if (value === undefined || value === '') return undefined;
	const parsed = Number(value);
	return Number.isInteger(parsed) ? parsed : Number.NaN;
};

function tokenOf(req: Request, mode: MaxAuthMode): string | undefined {
	const header = req.header('authorization');
	const query = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
	if (mode === 'header') return header;
	if (mode === 'query') return query;
	return header ?? query;
}

/**
 * Mounts the MAX endpoints: `GET /me`, `POST /messages`, `POST /answers`, `GET /updates`,
 * `GET|POST|DELETE /subscriptions`. Fault targets are `<METHOD> <path>`, e.g. `POST /messages`.
 */
export function mountMaxRoutes(app: Express, deps: MaxRouteDeps): void {
	const { state } = deps;
	const guard = async (req: Request): Promise<void> => {
		const fault = await deps.faults.apply(`${req.method} ${req.path}`);
		if (fault?.kind === 'status') throw maxServerError(fault.status);
		if (fault?.kind === 'rate-limit') throw maxTooManyRequests();
		if (fault?.kind === 'expired-token') throw invalidToken();
		if (tokenOf(req, deps.auth) !== state.token) throw invalidToken();
		// 30 requests per second per bot (channels.md §4).
		if (!deps.bucket.tryTake().ok) throw maxTooManyRequests();
	};
	const handle =
		(handler: (req: Request, res: Response) => unknown) =>
		async (req: Request, res: Response): Promise<void> => {
			try {
				await guard(req);
				const result = await handler(req, res);
				if (!res.headersSent) res.status(200).json(result);
			} catch (error) {
				const failure = error instanceof MaxApiError ? error : maxServerError(500);
				if (!(error instanceof MaxApiError)) console.error('max emulator: unexpected error', error);
				if (!res.headersSent) res.status(failure.status).json(failure.toJSON());
			}
		};

	app.get(
		'/me',
		handle(() => state.bot),
	);

	// Edits the bot (BotPatch); the emulator keeps what a menu needs: `commands` (≤ 32, name 1-64, description ≤ 128).
	app.patch(
		'/me',
		handle((req) => {
			const parsed = botPatchBody.safeParse(req.body ?? {});
			if (!parsed.success) throw maxBadRequest(`commands: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
			if (parsed.data.commands !== undefined) state.bot.commands = parsed.data.commands;
			if (parsed.data.description !== undefined) state.bot.description = parsed.data.description;
			return state.bot;
		}),
	);

	app.post(
		'/messages',
		handle((req) => {
			const userId = optionalInt(req.query.user_id);
			const chatId = optionalInt(req.query.chat_id);
			if (userId === undefined && chatId === undefined) throw maxBadRequest('user_id or chat_id is required');
			const dialog =
				userId !== undefined
					? state.dialogs.get(userId)
					: chatId !== undefined
						? state.dialogByChatId(chatId)
						: undefined;
			if (!dialog) throw maxNotFound('Chat not found');
			if (dialog.stopped)
				throw new MaxApiError(403, 'chat.denied', 'chat.denied: bot is blocked by the user');
			const parsed = newMessageBody.safeParse(req.body ?? {});
			if (!parsed.success) throw maxBadRequest(parsed.error.issues[0]?.message ?? 'invalid body');
			const text = parsed.data.text ?? null;
			if (text !== null && text.length > deps.maxTextLength) {
				throw maxBadRequest(`text: size must be between 0 and ${deps.maxTextLength}`);
			}
			if (!text && !parsed.data.attachments?.length)
				throw maxBadRequest('Message text or attachments required');
			checkKeyboards(parsed.data.attachments ?? []);
			const message: MaxMessage = {
				sender: state.bot,
				recipient: { chat_id: dialog.chatId, chat_type: 'dialog', user_id: dialog.user.user_id },
				timestamp: state.clock.now(),
				body: {
					mid: state.nextMid(),
					seq: dialog.sent.length + 1,
					text,
					attachments: parsed.data.attachments ?? null,
				},
			};
			dialog.sent.push({ message, body: parsed.data, at: state.clock.now() });
			return { message };
		}),
	);

	app.post(
		'/answers',
		handle((req) => {
			const id = typeof req.query.callback_id === 'string' ? req.query.callback_id : '';
			const callback = state.callbacks.get(id);
			if (!callback) throw maxNotFound('Callback not found');
			callback.answered = true;
			callback.answer = req.body as unknown;
			return { success: true };
		}),
	);

	app.get(
		'/updates',
		handle(async (req, res) => {
			const limit = Math.min(1000, Math.max(1, optionalInt(req.query.limit) || 100));
			const timeout = Math.min(90, Math.max(0, optionalInt(req.query.timeout) ?? 30));
			const marker = optionalInt(req.query.marker);
			const types =
				typeof req.query.types === 'string' ? req.query.types.split(',').filter(Boolean) : undefined;
			// While a webhook subscription is active, long polling gets nothing (§4).
			if (state.subscriptions.length > 0) return { updates: [], marker: marker ?? null };
			let batch = state.read(Number.isNaN(marker) ? undefined : marker, limit, types);
			if (batch.updates.length === 0 && timeout > 0) {
				await new Promise<void>((resolve) => {
					const timer = setTimeout(finish, timeout * 1000);
					const stop = state.onPush(finish);
					res.on('close', finish);
					function finish() {
						clearTimeout(timer);
						stop();
						resolve();
					}
				});
				batch = state.read(batch.marker, limit, types);
			}
			return batch;
		}),
	);

	app.get(
		'/subscriptions',
		handle(() => ({ subscriptions: state.subscriptions.map(({ secret: _secret, ...rest }) => rest) })),
	);

	app.post(
		'/subscriptions',
		handle((req) => {
			const parsed = subscriptionBody.safeParse(req.body ?? {});
			if (!parsed.success) throw maxBadRequest('url: must be a valid URL');
			const { url, update_types, version, secret } = parsed.data;
			// Only HTTPS since 2026-05-25 (§4); plain HTTP is accepted on loopback because tests have no TLS.
			const host = new URL(url).hostname;
			if (!url.startsWith('https://') && !['127.0.0.1', 'localhost'].includes(host)) {
				throw maxBadRequest('url: only HTTPS is supported');
			}
			if (secret !== undefined && !/^[A-Za-z0-9_-]{5,256}$/.test(secret)) {
				throw maxBadRequest('secret: must be 5-256 characters of A-Z, a-z, 0-9, _ and -');
			}
			const existing = state.subscriptions.findIndex((item) => item.url === url);
			if (existing >= 0) state.subscriptions.splice(existing, 1);
			state.subscriptions.push({
				url,
				time: state.clock.now(),
				update_types: update_types ?? null,
				version: version ?? null,
				...(secret ? { secret } : {}),
			});
			deps.pusher.kick();
			return { success: true };
		}),
	);

	app.delete(
		'/subscriptions',
		handle((req) => {
			const url = typeof req.query.url === 'string' ? req.query.url : '';
			const index = state.subscriptions.findIndex((item) => item.url === url);
			if (index < 0) return { success: false, message: 'Subscription not found' };
			state.subscriptions.splice(index, 1);
			return { success: true };
		}),
	);

	app.use(
		handle(() => {
			throw maxNotFound('Path not found');
		}),
	);
}
