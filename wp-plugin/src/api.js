import apiFetch from '@wordpress/api-fetch';

const config = window.nitkaAdmin ?? {};

// The REST nonce proves the cookie session to WordPress; core registers the same middleware
// when it knows the nonce, and a second one is a no-op (it skips requests that carry one).
if (config.nonce) apiFetch.use(apiFetch.createNonceMiddleware(config.nonce));

/** Calls the plugin's own REST namespace (never the connector directly). */
export function nitka(path, options = {}) {
	return apiFetch({ path: `/nitka/v1${path}`, ...options });
}

export const canManage = Boolean(config.canManage);
export const settingsUrl = config.settings ?? '';
