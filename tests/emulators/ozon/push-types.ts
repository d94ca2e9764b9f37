/** Push payloads Ozon sends (research §5.5); only the posting-related ones carry fields we model. */
export type OzonPushType =
	| 'TYPE_PING'
	| 'TYPE_NEW_POSTING'
	| 'TYPE_POSTING_CANCELLED'
	| 'TYPE_STATE_CHANGED'
	| 'TYPE_CUTOFF_DATE_CHANGED'
	| 'TYPE_DELIVERY_DATE_CHANGED'
	| 'TYPE_CREATE_OR_UPDATE_ITEM'
	| 'TYPE_CREATE_ITEM'
	| 'TYPE_UPDATE_ITEM'
	| 'TYPE_PRICE_INDEX_CHANGED'
	| 'TYPE_STOCKS_CHANGED'
	| 'TYPE_NEW_MESSAGE'
	| 'TYPE_UPDATE_MESSAGE'
	| 'TYPE_MESSAGE_READ'
	| 'TYPE_CHAT_CLOSED';

export interface OzonPushMessage {
	message_type: OzonPushType;
	[field: string]: unknown;
}

/**
 * Why a delivery failed, in Ozon's own connect-time error codes (research §5.5); `OK` when the receiver met
 * the contract within the deadline.
 */
export type OzonPushVerdict =
	| 'OK'
	| 'REQUEST_ERROR'
	| 'REQUEST_TIMEOUT'
	| 'SERVER_FAULT'
	| 'STATUS_CODE_NOT_OK'
	| 'EMPTY_BODY'
	| 'INVALID_BODY'
	| 'INVALID_JSON'
	| 'WRONG_RESULT_FIELD'
	| 'WRONG_RESULT_TIME_FIELD';

export interface OzonPushDelivery {
	message: OzonPushMessage;
	attempt: number;
	status: number | null;
	responseText: string;
	elapsedMs: number;
	metDeadline: boolean;
	metContract: boolean;
	verdict: OzonPushVerdict;
}
