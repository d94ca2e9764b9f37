import type { MessagingChannel } from '@nitka/shared';
import type { OutboxJobContext, RateLimit } from './outbound.ts';
import { PermanentDeliveryError } from './outbound.ts';

/**
 * A messaging platform's client side: connecting a bot or community, polling when no public URL
 * exists, sending replies and fetching media. Webhook intake and parsing stay in ChannelAdapter.
 *
 * How to extend: implement this in the channel's folder with plain HTTP (no core imports), add it
 * to `createChannelClients` in channels/registry.ts. The core reaches it only through this port.
 */
export interface ChannelClient {
	channel: MessagingChannel;
	capabilities: ChannelCapabilities;
	/** Validates the credentials (getMe, groups.getById…) without changing anything on the platform. */
	prepare(input: PrepareInput): Promise<PreparedConnection>;
	/** Registers the webhook (public mode) or readies polling; returns settings to merge. */
	activate(connection: ConnectedChannel, webhookUrl: string | undefined): Promise<Record<string, unknown>>;
	/** Removes what activate registered (deleteWebhook, deleteCallbackServer…). */
	deactivate(connection: ConnectedChannel): Promise<void>;
	/** Long polling: hands every update to `sink` and advances the cursor only after the sink stored it. */
	poll(
		connection: ConnectedChannel,
		sink: UpdateSink,
		cursor: CursorStore,
		onError: (error: unknown) => void,
	): Poller;
	send(message: OutboundMessage, connection: ConnectedChannel, job: OutboxJobContext): Promise<SendResult>;
	/**
	 * Answers a button press so the user's client stops its spinner (Telegram answerCallbackQuery,
	 * VK sendMessageEventAnswer, MAX /answers). `press` is what the parser recorded; presses that
	 * need no answer (a VK text-keyboard payload) resolve without a call.
	 */
	acknowledge?(press: ButtonPress, connection: ConnectedChannel): Promise<void>;
	/**
	 * The inbox source key the platform's report of this very send will carry (VK reports the
	 * community's own messages as `message_reply`). Stored before sending, so that report is a
	 * duplicate and Nitka's own reply is not recorded twice.
	 */
	echoSourceKey?(connection: ConnectedChannel, job: OutboxJobContext): string;
	/** Downloads a platform file by the ref an inbound attachment carried. */
	fetchMedia?(ref: string, connection: ConnectedChannel): Promise<MediaFile>;
}

export interface ChannelCapabilities {
	/** Longest text one platform message carries; longer replies are split. */
	maxTextLength: number;
	/** The buckets one send takes a token from (keys scoped by connection). */
	sendLimits(connectionId: string, chatId: string): RateLimit[];
	/** How a deep link for a token looks, given the connection's settings (null when the platform has none). */
	deepLink(token: string, settings: Record<string, unknown>): string | null;
	/**
	 * Whether a chat is one person's (not a group), where the platform's ids tell; personal links
	 * (the customer's card) are never sent to a group. Absent: the platform's ids do not tell.
	 */
	privateChat?(chatId: string): boolean;
	/**
	 * Whether a message can ask for the customer's own phone (`OutboundMessage.contactRequest`) and
	 * the parser reports the answer as proven (`InboundEvent.sharedPhone`): Telegram's request_contact.
	 */
	requestContact?: boolean;
}

export interface PrepareInput {
	credentials: Record<string, string>;
}

export interface PreparedConnection {
	/** A display name (bot username, community name). */
	name: string;
	/** Settings known before activation, e.g. the bot id webhooks are keyed by, VK's confirmation code. */
	settings: Record<string, unknown>;
}

/** A connection as the channel sees it: credentials opened, settings parsed. */
export interface ConnectedChannel {
	connectionId: string;
	tenantId: string;
	credentials: Record<string, string>;
	settings: Record<string, unknown>;
	webhookSecret: string | null;
}

/** Stores one raw update durably (the same inbox path webhooks use); rejects if it was not stored. */
export type UpdateSink = (payload: unknown) => Promise<void>;

/** Where a poller keeps its position (offset, ts, marker) across restarts. */
export interface CursorStore {
	load(): Promise<string | null>;
	save(cursor: string): Promise<void>;
}

export interface Poller {
	stop(): Promise<void>;
}

export interface OutboundMessage {
	chatId: string;
	text: string;
	/**
	 * One row of inline buttons. A data button's press comes back as a message.in with
	 * `buttonData` = `data`; a link button opens its URL in the user's browser and reports nothing.
	 */
	buttons?: OutboundButton[];
	/**
	 * Buttons the customer keeps under the input field, where the platform has such a keyboard
	 * (VK's regular keyboard: text buttons whose press comes back as a message.in with
	 * `buttonData` = `data`). Channels without one ignore it.
	 */
	menu?: DataButton[];
	/**
	 * A button that shares the customer's own phone number (Telegram: a one-time reply keyboard
	 * with request_contact), instead of inline buttons. Only where `capabilities.requestContact`.
	 */
	contactRequest?: { text: string };
}

export type OutboundButton = DataButton | LinkButton;

export interface DataButton {
	text: string;
	/** ≤ 64 bytes of [A-Za-z0-9:_-] (Telegram's callback_data limit holds on every platform). */
	data: string;
}

/** Opens `url` (Telegram `url`, VK `open_link`, MAX `link`). */
export interface LinkButton {
	text: string;
	/** An absolute http(s) URL, ≤ 2048 chars (MAX's cap; Telegram and VK take the same). */
	url: string;
}

export const isLinkButton = (button: OutboundButton): button is LinkButton => 'url' in button;

/** A button press as the parser recorded it on its message.in event. */
export interface ButtonPress {
	externalId: string;
	chatId: string;
}

export interface SendResult {
	externalId: string;
}

export interface MediaFile {
	contentType: string;
	body: Uint8Array;
	fileName?: string;
}

/**
 * The recipient refuses messages (blocked the bot, denied community messages): no retry can help,
 * and the core marks that chat unreachable until the customer comes back.
 */
export class RecipientUnreachableError extends PermanentDeliveryError {
	override readonly name = 'RecipientUnreachableError';
}

/** A credential the platform rejected while connecting (bad token): a 400 for the API caller. */
export class InvalidCredentialsError extends Error {
	override readonly name = 'InvalidCredentialsError';
}
