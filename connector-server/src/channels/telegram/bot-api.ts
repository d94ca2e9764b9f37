import { z } from 'zod';

const EnvelopeSchema = z.union([
	z.object({ ok: z.literal(true), result: z.unknown() }),
	z.object({
		ok: z.literal(false),
		error_code: z.number().int(),
		description: z.string().default(''),
		parameters: z.looseObject({ retry_after: z.number().optional() }).optional(),
	}),
]);

/** An `ok: false` answer of the Bot API, with its code and advised retry delay. */
export class TelegramApiError extends Error {
	override readonly name = 'TelegramApiError';
	constructor(
		readonly code: number,
		readonly description: string,
		readonly retryAfterSeconds: number | undefined,
	) {
		super(`Telegram ${code}: ${description}`);
	}
}

export interface BotApi {
	call<T>(
		method: string,
		params: Record<string, unknown>,
		schema: z.ZodType<T>,
		signal?: AbortSignal,
	): Promise<T>;
	/** Downloads a file by the `file_path` getFile returned. */
	download(filePath: string): Promise<{ body: Uint8Array; contentType: string }>;
}

/** A minimal Bot API client: JSON POSTs to `<apiRoot>/bot<token>/<method>`, envelopes checked with zod. */
export function createBotApi(apiRoot: string, token: string, timeoutMs = 35_000): BotApi {
	return {
		async call(method, params, schema, signal) {
			const timeout = AbortSignal.timeout(timeoutMs);
			const response = await fetch(`${apiRoot}/bot${token}/${method}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(params),
				signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
			});
			const text = await response.text();
			let json: unknown;
			try {
				json = JSON.parse(text);
			} catch {
				throw new TelegramApiError(response.status, `non-JSON answer (HTTP ${response.status})`, undefined);
			}
			const envelope = EnvelopeSchema.parse(json);
			if (!envelope.ok)
				throw new TelegramApiError(
					envelope.error_code,
					envelope.description,
					envelope.parameters?.retry_after,
				);
			return schema.parse(envelope.result);
		},
		async download(filePath) {
			const response = await fetch(`${apiRoot}/file/bot${token}/${filePath}`, {
				signal: AbortSignal.timeout(timeoutMs),
			});
			if (!response.ok) throw new TelegramApiError(response.status, 'file download failed', undefined);
			return {
				body: new Uint8Array(await response.arrayBuffer()),
				contentType: response.headers.get('content-type') ?? 'application/octet-stream',
			};
		},
	};
}
