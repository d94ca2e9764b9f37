import type { CallbackSender } from './callback-sender.ts';
import { DEFAULT_API_VERSION } from './options.ts';
import type { CallbackServer, CallbackServerStatus, Community, VkState } from './state.ts';
import { MESSAGE_EVENT_TYPES, type VkMessage } from './types.ts';

export interface RegisterCallbackInput {
	/** Server title (VK caps it at 14 characters). */
	title?: string;
	/** Secret key sent as `secret` in every event; default: the community's secret. Empty string: none. */
	secret?: string;
	/** Event types to send (default: every message event). */
	events?: readonly string[];
	/** API version of the event objects (default 5.199). */
	apiVersion?: string;
}

/**
 * A community as its admin sees it in the settings UI: its key, its confirmation code and secret,
 * callback servers, and what it has sent — for tests to set up and assert.
 */
export class VkCommunityHandle {
	constructor(
		readonly community: Community,
		private readonly deps: { state: VkState; sender: CallbackSender },
	) {}

	get id(): number {
		return this.community.id;
	}

	/** The community access key (a "community token"). */
	get token(): string {
		return this.community.token;
	}

	get confirmationCode(): string {
		return this.community.confirmationCode;
	}

	get secret(): string {
		return this.community.secret;
	}

	/**
	 * Adds a Callback server as the settings page does and runs the confirmation handshake;
	 * resolves with the server's id and status (`ok` only if it answered the confirmation code).
	 */
	async registerCallbackServer(
		url: string,
		input: RegisterCallbackInput = {},
	): Promise<{ serverId: number; status: CallbackServerStatus }> {
		const server: CallbackServer = {
			id: this.community.nextServerId++,
			title: (input.title ?? 'nitka').slice(0, 14),
			url,
			secret_key: input.secret ?? this.community.secret,
			creator_id: 0,
			status: 'unconfigured',
			apiVersion: input.apiVersion ?? DEFAULT_API_VERSION,
			events: new Set(input.events ?? MESSAGE_EVENT_TYPES),
		};
		this.community.callbackServers.set(server.id, server);
		const status = await this.deps.sender.confirm(this.community, server);
		return { serverId: server.id, status };
	}

	callbackServer(serverId: number): CallbackServer | undefined {
		return this.community.callbackServers.get(serverId);
	}

	/** Messages the community sent to `peerId`, oldest first. */
	sentTo(peerId: number): VkMessage[] {
		return this.deps.state.sentTo(this.community.id, peerId);
	}

	/** Answers given to callback buttons (messages.sendMessageEventAnswer). */
	get eventAnswers(): Community['eventAnswers'] {
		return this.community.eventAnswers;
	}

	/** Marks the key expired: calls fail with error 5 until `restoreToken()`. */
	expireToken(): void {
		this.#setTokenStatus('expired');
	}

	/** Revokes the key (as regenerating it in the settings would): error 5 "invalid access_token". */
	revokeToken(): void {
		this.#setTokenStatus('revoked');
	}

	restoreToken(): void {
		this.#setTokenStatus('active');
	}

	#setTokenStatus(status: 'active' | 'expired' | 'revoked'): void {
		const record = this.deps.state.tokens.get(this.community.token);
		if (record) record.status = status;
	}
}
