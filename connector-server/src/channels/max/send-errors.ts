import { InvalidCredentialsError, RecipientUnreachableError } from '../../core/ports/channel-client.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '../../core/ports/outbound.ts';
import { MaxApiError } from './max-api.ts';

/** Maps a failed MAX call to the outbox's error classes (429 → wait; 403 chat.denied → unreachable). */
export function toDeliveryError(error: unknown): Error {
	if (!(error instanceof MaxApiError))
		return new TransientDeliveryError(`MAX unreachable: ${(error as Error).message}`, undefined, {
			cause: error,
		});
	if (error.status === 429)
		// MAX sends no Retry-After; its limit is 30 requests per second per bot, so a second refills it.
		return new TransientDeliveryError(error.message, 1_000, { cause: error, throttleAll: true });
	if (error.status === 403) return new RecipientUnreachableError(error.message);
	if (error.status >= 500) return new TransientDeliveryError(error.message, undefined, { cause: error });
	return new PermanentDeliveryError(error.message);
}

export function toConnectError(error: unknown): Error {
	if (error instanceof MaxApiError && error.status === 401) return new InvalidCredentialsError(error.message);
	return error as Error;
}
