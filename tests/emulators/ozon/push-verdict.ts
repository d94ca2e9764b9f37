import { isServiceAnswer, type PushAttempt } from '../marketplace-common/push-delivery.ts';
import type { OzonPushMessage, OzonPushVerdict } from './push-types.ts';

/**
 * Judges a receiver's answer against Ozon's contract (research §5.5): 200 within 5 s; `{"result": true}` for
 * events; `{version, name, time}` for TYPE_PING.
 */
export function judgeOzonAnswer(message: OzonPushMessage, attempt: PushAttempt): OzonPushVerdict {
	if (attempt.late) return 'REQUEST_TIMEOUT';
	if (attempt.status === null) return 'REQUEST_ERROR';
	if (attempt.status >= 500) return 'SERVER_FAULT';
	if (attempt.status !== 200) return 'STATUS_CODE_NOT_OK';
	if (attempt.text.trim() === '') return 'EMPTY_BODY';
	if (attempt.json === undefined) return 'INVALID_JSON';
	if (typeof attempt.json !== 'object' || attempt.json === null) return 'INVALID_BODY';
	if (message.message_type === 'TYPE_PING') {
		const check = isServiceAnswer(attempt.json);
		if (check === 'fields') return 'INVALID_BODY';
		if (check === 'time') return 'WRONG_RESULT_TIME_FIELD';
		return 'OK';
	}
	return (attempt.json as { result?: unknown }).result === true ? 'OK' : 'WRONG_RESULT_FIELD';
}
