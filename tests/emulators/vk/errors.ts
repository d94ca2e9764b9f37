/**
 * VK API error codes with their `error_msg` texts, as VKCOM/vk-api-schema `errors.json` (5.199)
 * names them. VK appends a detail after a colon ("Access denied: no access to call this method").
 */
export const VK_ERROR_MESSAGES = {
	1: 'Unknown error occurred',
	3: 'Unknown method passed',
	5: 'User authorization failed',
	6: 'Too many requests per second',
	8: 'Invalid request',
	9: 'Flood control',
	10: 'Internal server error',
	12: 'Unable to compile code',
	13: 'Runtime error occurred during code invocation',
	15: 'Access denied',
	27: 'Group authorization failed',
	100: 'One of the parameters specified was missing or invalid',
	104: 'Not found',
	113: 'Invalid user id',
	125: 'Invalid group id',
	900: "Can't send messages for users from blacklist",
	901: "Can't send messages for users without permission",
	902: "Can't send messages to this user due to their privacy settings",
	911: 'Keyboard format is invalid',
	912: 'This is a chat bot feature, change this status in settings',
	914: 'Message is too long',
	917: "You don't have access to this chat",
	2000: 'Servers number limit is reached',
} as const;

export type VkErrorCode = keyof typeof VK_ERROR_MESSAGES;

/** An error a method handler throws; the API route renders it inside HTTP 200. */
export class VkApiError extends Error {
	readonly code: VkErrorCode;

	constructor(code: VkErrorCode, detail?: string) {
		const base = VK_ERROR_MESSAGES[code];
		super(detail ? `${base}: ${detail}` : base);
		this.name = 'VkApiError';
		this.code = code;
	}
}

export interface VkRequestParam {
	key: string;
	value: string;
}

export interface VkErrorBody {
	error_code: number;
	error_msg: string;
	request_params: VkRequestParam[];
}

/**
 * `request_params` as VK echoes them: `method`, `oauth`, then every parameter but the token.
 * (VK never echoes `access_token`; it does echo `v`.)
 */
export function requestParamsOf(method: string, params: Record<string, string>): VkRequestParam[] {
	const list: VkRequestParam[] = [
		{ key: 'method', value: method },
		{ key: 'oauth', value: '1' },
	];
	for (const [key, value] of Object.entries(params)) {
		if (key === 'access_token') continue;
		list.push({ key, value });
	}
	return list;
}

export function errorBody(error: VkApiError, method: string, params: Record<string, string>): VkErrorBody {
	return {
		error_code: error.code,
		error_msg: error.message,
		request_params: requestParamsOf(method, params),
	};
}
