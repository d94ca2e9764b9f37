/**
 * A Bot API error, rendered as `{ok:false, error_code, description, parameters?}` with the HTTP
 * status equal to `error_code` (channels.md §1.1). Descriptions are Telegram's own strings.
 */
export class TelegramApiError extends Error {
	constructor(
		readonly errorCode: number,
		readonly description: string,
		readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
	) {
		super(description);
		this.name = 'TelegramApiError';
	}

	toJSON(): Record<string, unknown> {
		return {
			ok: false,
			error_code: this.errorCode,
			description: this.description,
			...(this.parameters ? { parameters: this.parameters } : {}),
		};
	}
}

export const badRequest = (what: string): TelegramApiError =>
	new TelegramApiError(400, `Bad Request: ${what}`);

export const forbidden = (what: string): TelegramApiError => new TelegramApiError(403, `Forbidden: ${what}`);

export const unauthorized = (): TelegramApiError => new TelegramApiError(401, 'Unauthorized');

export const notFound = (): TelegramApiError => new TelegramApiError(404, 'Not Found');

export const tooManyRequests = (retryAfterSeconds: number): TelegramApiError =>
	new TelegramApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
		retry_after: retryAfterSeconds,
	});

export const webhookConflict = (): TelegramApiError =>
	new TelegramApiError(
		409,
		"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
	);

export const pollingConflict = (): TelegramApiError =>
	new TelegramApiError(
		409,
		'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
	);

/** Reason phrases for injected HTTP faults, as Telegram's front end words them. */
export function statusError(status: number): TelegramApiError {
	const phrases: Record<number, string> = {
		500: 'Internal Server Error',
		502: 'Bad Gateway',
		503: 'Service Unavailable',
		504: 'Gateway Timeout',
	};
	return new TelegramApiError(status, phrases[status] ?? `Error ${status}`);
}
