import { InvalidCredentialsError, RecipientUnreachableError } from '../../core/ports/channel-client.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '../../core/ports/outbound.ts';
import { TelegramApiError } from './bot-api.ts';

/**
 * Maps a failed Bot API call to the outbox's error classes: 429 waits `retry_after`; 403 (bot
 * blocked, user deactivated, can't initiate) means the recipient is unreachable; other 4xx cannot
 * succeed on retry; 5xx and network failures are retried with backoff.
 */
export function toDeliveryError(error: unknown): Error {
	if (!(error instanceof TelegramApiError)) {
		return new TransientDeliveryError(`Telegram unreachable: ${(error as Error).message}`, undefined, {
			cause: error,
		});
	}
	if (error.code === 429) {
		// Telegram does not say which limit was hit: slow the whole bot down, not just this chat.
		return new TransientDeliveryError(error.message, (error.retryAfterSeconds ?? 1) * 1000, {
			cause: error,
			throttleAll: true,
		});
	}
	if (error.code === 403) return new RecipientUnreachableError(error.message);
	if (error.code === 401 || error.code === 404)
		return new PermanentDeliveryError(`bot token rejected: ${error.message}`);
	if (error.code >= 400 && error.code < 500) return new PermanentDeliveryError(error.message);
	return new TransientDeliveryError(
		error.message,
		error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : undefined,
		{
			cause: error,
		},
	);
}

/** A token getMe rejects (401/404) is the caller's mistake; anything else is the platform's. */
export function toConnectError(error: unknown): Error {
	if (error instanceof TelegramApiError && (error.code === 401 || error.code === 404))
		return new InvalidCredentialsError(error.description);
	return error as Error;
}
