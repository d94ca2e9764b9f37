import type { ConnectionChannel } from '@nitka/shared';
import type { InboundParser } from './inbound.ts';

/** The parts of a webhook request an adapter needs to check it. */
export interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	body: unknown;
}

/** The connection a webhook URL points at, with its opened secret. */
export interface WebhookTarget {
	connectionId: string;
	tenantId: string;
	webhookSecret: string | null;
	settings: Record<string, unknown>;
}

/**
 * A channel's webhook intake: authenticate the request and name the payload's dedupe key. It runs
 * before the payload is stored, so it must be cheap and must not parse beyond the key.
 */
export interface WebhookIntake {
	/** True when the request proves it comes from the platform (secret header, signature…). */
	verify(request: WebhookRequest, target: WebhookTarget): boolean;
	/** The per-tenant source key, e.g. `telegram:<bot>:<update_id>`; throws on a payload without one. */
	sourceKey(body: unknown, target: WebhookTarget): string;
	/**
	 * A request answered at once without storing it (VK's `confirmation` handshake answers the
	 * confirmation code); null for ordinary updates.
	 */
	handshake?(body: unknown, target: WebhookTarget): { contentType: string; body: string } | null;
	/** The platform's expected success answer (Telegram: any 2xx; VK: the text `ok`). */
	acknowledge?: { contentType: string; body: string };
}

/**
 * A channel adapter: how one platform's updates come in. Registered once in channels/registry.ts.
 *
 * How to extend: add a folder under channels/ with its zod schemas, a WebhookIntake and an
 * InboundParser, add one line to the registry, and fixture tests with the platform's documented
 * payloads. The core never branches on a channel name.
 */
export interface ChannelAdapter {
	channel: ConnectionChannel;
	intake: WebhookIntake;
	parse: InboundParser;
}
