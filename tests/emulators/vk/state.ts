import { randomBytes } from 'node:crypto';
import { DEFAULT_API_VERSION } from './options.ts';
import { type JsonObject, MESSAGE_EVENT_TYPES, type VkMessage, type VkUserProfile } from './types.ts';

export type CallbackServerStatus = 'unconfigured' | 'failed' | 'wait' | 'ok';

/** `groups_callback_server` plus what the sender needs. */
export interface CallbackServer {
	id: number;
	title: string;
	url: string;
	secret_key: string;
	creator_id: number;
	status: CallbackServerStatus;
	apiVersion: string;
	events: Set<string>;
}

export interface TokenRecord {
	groupId: number;
	/** `expired` and `revoked` tokens fail with error 5, as VK does for a reset community key. */
	status: 'active' | 'expired' | 'revoked';
}

/** One community with its mailbox, settings and bookkeeping. */
export interface Community {
	id: number;
	name: string;
	screen_name: string;
	token: string;
	confirmationCode: string;
	/** The secret the helper registers callback servers with. */
	secret: string;
	longPoll: { enabled: boolean; apiVersion: string; events: Set<string> };
	callbackServers: Map<number, CallbackServer>;
	nextServerId: number;
	/** Whether the community may write to a user (they wrote first or allowed, and did not deny). */
	permissions: Map<number, boolean>;
	/** The community's mailbox, in id order. */
	messages: VkMessage[];
	nextMessageId: number;
	conversationCounters: Map<number, number>;
	/** `${peer}:${random_id}` → the message it created and when. */
	randomIds: Map<string, { messageId: number; at: number }>;
	/** message_event ids awaiting messages.sendMessageEventAnswer. */
	pendingEvents: Map<string, { user_id: number; peer_id: number }>;
	eventAnswers: { event_id: string; user_id: number; peer_id: number; event_data?: JsonObject }[];
	/** A ref picked up from a vk.me link, attached to the user's next message (§3.7). */
	pendingRefs: Map<number, { ref: string; ref_source?: string }>;
}

export interface CreateCommunityInput {
	id?: number;
	name?: string;
	screen_name?: string;
	token?: string;
	confirmationCode?: string;
	secret?: string;
	/** Long Poll enabled in the community settings, all message events on (default true). */
	longPoll?: boolean;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Everything the emulator knows; tests read it for assertions. */
export class VkState {
	readonly communities = new Map<number, Community>();
	readonly tokens = new Map<string, TokenRecord>();
	readonly users = new Map<number, VkUserProfile>();
	#nextGroupId = 200_000_001;
	#nextUserId = 1_000_001;

	createCommunity(input: CreateCommunityInput = {}): Community {
		const id = input.id ?? this.#nextGroupId++;
		if (this.communities.has(id)) throw new Error(`community ${id} exists`);
		const community: Community = {
			id,
			name: input.name ?? `Community ${id}`,
			screen_name: input.screen_name ?? `club${id}`,
			// Community keys look like `vk1.a.<random>`.
			token: input.token ?? `vk1.a.${hex(32)}`,
			confirmationCode: input.confirmationCode ?? hex(4),
			secret: input.secret ?? hex(12),
			longPoll: {
				enabled: input.longPoll ?? true,
				apiVersion: DEFAULT_API_VERSION,
				events: new Set(input.longPoll === false ? [] : MESSAGE_EVENT_TYPES),
			},
			callbackServers: new Map(),
			nextServerId: 1,
			permissions: new Map(),
			messages: [],
			nextMessageId: 1,
			conversationCounters: new Map(),
			randomIds: new Map(),
			pendingEvents: new Map(),
			eventAnswers: [],
			pendingRefs: new Map(),
		};
		this.communities.set(id, community);
		this.tokens.set(community.token, { groupId: id, status: 'active' });
		return community;
	}

	community(id: number): Community {
		const community = this.communities.get(id);
		if (!community) throw new Error(`no community ${id}`);
		return community;
	}

	addUser(input: Partial<VkUserProfile> = {}): VkUserProfile {
		const profile: VkUserProfile = {
			id: input.id ?? this.#nextUserId++,
			first_name: input.first_name ?? 'Ivan',
			last_name: input.last_name ?? 'Petrov',
		};
		this.users.set(profile.id, profile);
		return profile;
	}

	/** Stores a message in the community's mailbox with the next id and conversation_message_id. */
	storeMessage(
		community: Community,
		fields: Omit<VkMessage, 'id' | 'conversation_message_id' | 'version'>,
	): VkMessage {
		const cmid = (community.conversationCounters.get(fields.peer_id) ?? 0) + 1;
		community.conversationCounters.set(fields.peer_id, cmid);
		const id = community.nextMessageId++;
		const message: VkMessage = { ...fields, id, conversation_message_id: cmid, version: id };
		community.messages.push(message);
		return message;
	}

	/** Messages the community sent to `peerId`, oldest first. */
	sentTo(groupId: number, peerId: number): VkMessage[] {
		return this.community(groupId).messages.filter((m) => m.out === 1 && m.peer_id === peerId);
	}

	/** Messages of one conversation (both directions), oldest first. */
	history(groupId: number, peerId: number): VkMessage[] {
		return this.community(groupId).messages.filter((m) => m.peer_id === peerId);
	}
}
