import { APIError } from 'vk-io';
import { InvalidCredentialsError, RecipientUnreachableError } from '../../core/ports/channel-client.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '../../core/ports/outbound.ts';

/** Sending refused by the user: blacklisted, never allowed messages, privacy settings. */
const UNREACHABLE = new Set([900, 901, 902]);
/** Worth another try: unknown, too many requests (6), flood control (9), internal error (10). */
const TRANSIENT = new Set([1, 6, 9, 10]);

/** Maps a failed VK call (APIError or network failure) to the outbox's error classes. */
export function toDeliveryError(error: unknown): Error {
	if (!(error instanceof APIError)) {
		return new TransientDeliveryError(`VK unreachable: ${(error as Error).message}`, undefined, {
			cause: error,
		});
	}
	const code = Number(error.code);
	if (UNREACHABLE.has(code)) return new RecipientUnreachableError(`VK ${code}: ${error.message}`);
	if (TRANSIENT.has(code)) {
		// Error 6 is the token's 20 req/s limit: every send of this community slows down.
		return new TransientDeliveryError(
			`VK ${code}: ${error.message}`,
			code === 6 || code === 9 ? 1_000 : undefined,
			{
				cause: error,
				throttleAll: code === 6,
			},
		);
	}
	return new PermanentDeliveryError(`VK ${code}: ${error.message}`);
}

/** User/group authorization failures (5, 27, 15) mean a bad token, anything else the platform. */
export function toConnectError(error: unknown): Error {
	if (error instanceof APIError && [5, 15, 27].includes(Number(error.code)))
		return new InvalidCredentialsError(error.message);
	return error as Error;
}
