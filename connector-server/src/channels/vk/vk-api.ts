import { Agent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { API } from 'vk-io';

export const VK_API_VERSION = '5.199';

const apis = new Map<string, API>();

/**
 * One vk-io API per community token, so its request queue holds the token's limit: raised from
 * vk-io's default 3/s to the 20/s VK allows community tokens. No internal retries of network
 * errors: the outbox owns retries and their backoff.
 */
export function vkApi(apiBaseUrl: string, token: string): API {
	const key = `${apiBaseUrl}\u0000${token}`;
	let api = apis.get(key);
	if (!api) {
		api = new API({
			token,
			apiBaseUrl,
			apiVersion: VK_API_VERSION,
			apiLimit: 20,
			apiRetryLimit: 0,
			apiTimeout: 15_000,
			// vk-io defaults to an https agent; an http base URL (a local emulator) needs a plain one.
			...(apiBaseUrl.startsWith('http:')
				? { agent: new Agent({ keepAlive: true }) as unknown as HttpsAgent }
				: {}),
		});
		apis.set(key, api);
	}
	return api;
}
