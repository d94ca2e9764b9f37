import { badRequest, webhookConflict } from '../errors.ts';
import type { Params } from '../params.ts';
import type { TgWebhookInfo } from '../types.ts';
import { Described, type MethodHandler } from './context.ts';

const secretPattern = /^[A-Za-z0-9_-]{1,256}$/;
const webhookPorts = new Set(['443', '80', '88', '8443']);
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `allowed_updates` as the JSON array of strings the Bot API expects; undefined keeps the old setting. */
function readAllowedUpdates(params: Params): string[] | undefined {
	const raw = params.json('allowed_updates', "can't parse allowed updates JSON object");
	if (raw === undefined) return undefined;
	if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) {
		throw badRequest("can't parse allowed updates JSON object");
	}
	return raw as string[];
}

/**
 * Telegram requires HTTPS on ports 443/80/88/8443 (§1.2). Tests have no TLS, so plain HTTP is accepted
 * on loopback only; any other address gets Telegram's own refusal.
 */
function checkWebhookUrl(url: string): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw badRequest('invalid webhook URL specified');
	}
	if (loopbackHosts.has(parsed.hostname)) {
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
		}
		return;
	}
	if (parsed.protocol !== 'https:')
		throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
	if (parsed.port !== '' && !webhookPorts.has(parsed.port)) {
		throw badRequest('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
	}
}

export const setWebhook: MethodHandler = ({ bot, params, pusher }) => {
	const url = params.string('url') ?? '';
	const secret = params.string('secret_token');
	if (secret !== undefined && secret !== '' && !secretPattern.test(secret)) {
		throw badRequest('secret token contains unallowed characters');
	}
	const maxConnections = params.int('max_connections') ?? 40;
	if (Number.isNaN(maxConnections)) throw badRequest('bad max_connections');
	const allowed = readAllowedUpdates(params);
	if (url !== '') checkWebhookUrl(url);
	if (allowed !== undefined) bot.updates.allowedUpdates = allowed;
	if (params.bool('drop_pending_updates')) bot.updates.clear();
	if (url === '') {
		const had = bot.webhook !== undefined;
		bot.webhook = undefined;
		return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
	}
	const same = bot.webhook?.url === url;
	bot.webhook = {
		url,
		// Documented range 1-100; out-of-range values are clamped.
		maxConnections: Math.min(100, Math.max(1, maxConnections)),
		hasCustomCertificate: params.has('certificate'),
		...(secret ? { secretToken: secret } : {}),
		...(params.string('ip_address') ? { ipAddress: params.string('ip_address') } : {}),
	};
	// A long poll in progress ends when a webhook takes over.
	bot.updates.release();
	pusher.kick(bot);
	return new Described(true, same ? 'Webhook is already set' : 'Webhook was set');
};

export const deleteWebhook: MethodHandler = ({ bot, params }) => {
	if (params.bool('drop_pending_updates')) bot.updates.clear();
	const had = bot.webhook !== undefined;
	bot.webhook = undefined;
	return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
};

export const getWebhookInfo: MethodHandler = ({ bot }): TgWebhookInfo => {
	const hook = bot.webhook;
	const info: TgWebhookInfo = {
		url: hook?.url ?? '',
		has_custom_certificate: hook?.hasCustomCertificate ?? false,
		pending_update_count: bot.updates.pending.length,
	};
	if (!hook) return info;
	if (hook.ipAddress) info.ip_address = hook.ipAddress;
	if (hook.lastErrorDate !== undefined) info.last_error_date = hook.lastErrorDate;
	if (hook.lastErrorMessage !== undefined) info.last_error_message = hook.lastErrorMessage;
	info.max_connections = hook.maxConnections;
	const allowed = bot.updates.allowedUpdates;
	if (allowed.length > 0) info.allowed_updates = allowed;
	return info;
};

export const getUpdates: MethodHandler = async ({ bot, params, signal }) => {
	if (bot.webhook) throw webhookConflict();
	const offset = params.int('offset');
	// limit 1-100 (default 100) and timeout are clamped rather than rejected.
	const limit = Math.min(100, Math.max(1, params.int('limit') || 100));
	const timeoutSeconds = Math.max(0, params.int('timeout') || 0);
	const allowed = readAllowedUpdates(params);
	if (allowed !== undefined) bot.updates.allowedUpdates = allowed;
	bot.updates.confirm(Number.isNaN(offset) ? undefined : offset);
	await bot.updates.waitForPending(timeoutSeconds * 1000, signal);
	if (bot.webhook) throw webhookConflict();
	return bot.updates.pending.slice(0, limit);
};
