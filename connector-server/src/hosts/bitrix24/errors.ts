import { PermanentDeliveryError, TransientDeliveryError } from '../../core/ports/outbound.ts';

/** A Bitrix24 REST or OAuth error, with the portal's code (`QUERY_LIMIT_EXCEEDED`, `expired_token`…). */
export class Bitrix24ApiError extends Error {
	override readonly name = 'Bitrix24ApiError';
	constructor(
		readonly code: string,
		readonly status: number,
		message: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}
}

const TOKEN_CODES = new Set(['expired_token', 'invalid_token', 'NO_AUTH_FOUND']);

/** The portal refused the token itself (as opposed to being busy or down). */
export function isTokenRejection(error: Bitrix24ApiError): boolean {
	return TOKEN_CODES.has(error.code);
}

/** The portal's leaky bucket is full: 503 QUERY_LIMIT_EXCEEDED. */
export function isPortalBusy(error: Bitrix24ApiError): boolean {
	return error.code === 'QUERY_LIMIT_EXCEEDED' || error.status === 503;
}

/**
 * Maps a Bitrix24 failure onto the outbox's retry semantics: the portal-wide leaky bucket
 * (503 QUERY_LIMIT_EXCEEDED) throttles every job of the portal; a method's operating budget
 * (429 OPERATION_TIME_LIMIT) waits at least 10 s; other 4xx cannot succeed on retry.
 */
export function toDeliveryError(error: unknown, drainPerSecond: number): Error {
	if (error instanceof TransientDeliveryError || error instanceof PermanentDeliveryError) return error;
	if (!(error instanceof Bitrix24ApiError)) {
		return new TransientDeliveryError(error instanceof Error ? error.message : String(error), undefined, {
			cause: error,
		});
	}
	if (isPortalBusy(error)) {
		return new TransientDeliveryError('Bitrix24: QUERY_LIMIT_EXCEEDED', Math.ceil(1000 / drainPerSecond), {
			cause: error,
			throttleAll: true,
		});
	}
	if (error.code === 'OPERATION_TIME_LIMIT' || error.status === 429) {
		return new TransientDeliveryError('Bitrix24: OPERATION_TIME_LIMIT', 10_000, { cause: error });
	}
	if (isTokenRejection(error) || error.status >= 500 || error.status === 0) {
		return new TransientDeliveryError(`Bitrix24: ${error.code}`, undefined, { cause: error });
	}
	return new PermanentDeliveryError(`Bitrix24: ${error.code}: ${error.message}`, { cause: error });
}
