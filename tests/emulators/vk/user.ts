import { randomBytes } from 'node:crypto';
import type { Clock } from '../kit/index.ts';
import { geoObject, userAttachments } from './attachments.ts';
import type { EventDispatcher } from './events.ts';
import type { VkState } from './state.ts';
import { type Json, type JsonObject, toJson, type VkMessage, type VkUserProfile } from './types.ts';

/** What the user's client supports (`client_info` of message_new, 5.199). */
const CLIENT_INFO: JsonObject = {
	button_actions: [
		'text',
		'vkpay',
		'open_app',
		'location',
		'open_link',
		'callback',
		'intent_subscribe',
		'intent_unsubscribe',
	],
	keyboard: true,
	inline_keyboard: true,
	carousel: true,
	lang_id: 0,
};

export interface WriteInput {
	text?: string;
	/** Attachment objects, e.g. from `user.attach.photo()`. */
	attachments?: JsonObject[];
	/** A shared location. */
	geo?: { latitude: number; longitude: number };
	/** Payload of a keyboard text button the user pressed (a JSON string). */
	payload?: string;
	/** `ref` / `ref_source` of the link the user came by (overrides one picked up by followLink). */
	ref?: string;
	ref_source?: string;
}

/** A VK user who talks to communities: every action produces the event VK would send. */
export class VkUser {
	/** Attachment objects as VK delivers them in message_new. */
	readonly attach = {
		photo: () => userAttachments.photo(this.id),
		doc: (title?: string) => userAttachments.doc(this.id, title),
		sticker: (stickerId?: number) => userAttachments.sticker(stickerId),
	};

	constructor(
		readonly profile: VkUserProfile,
		private readonly deps: { state: VkState; events: EventDispatcher; clock: Clock },
	) {}

	get id(): number {
		return this.profile.id;
	}

	/**
	 * Opens a community messages link with `ref`/`ref_source` (`vk.me/<club>?ref=…&ref_source=…`).
	 * VK puts them on the message the user then sends (`messages_message.ref`, channels.md §3.7).
	 */
	followLink(groupId: number, link: { ref: string; ref_source?: string }): void {
		this.deps.state.community(groupId).pendingRefs.set(this.id, link);
	}

	/** Writes to the community: stores the message, grants reply permission, emits message_new. */
	write(groupId: number, input: string | WriteInput): VkMessage {
		const draft: WriteInput = typeof input === 'string' ? { text: input } : input;
		const community = this.deps.state.community(groupId);
		const pending = community.pendingRefs.get(this.id);
		community.pendingRefs.delete(this.id);
		const ref = draft.ref ?? pending?.ref;
		const refSource = draft.ref_source ?? pending?.ref_source;
		const message = this.deps.state.storeMessage(community, {
			date: this.#now(),
			peer_id: this.id,
			from_id: this.id,
			text: draft.text ?? '',
			out: 0,
			attachments: draft.attachments ?? [],
			fwd_messages: [],
			important: false,
			is_hidden: false,
			...(draft.geo ? { geo: geoObject(draft.geo.latitude, draft.geo.longitude) } : {}),
			...(draft.payload === undefined ? {} : { payload: draft.payload }),
			...(ref === undefined ? {} : { ref }),
			...(refSource === undefined ? {} : { ref_source: refSource }),
		});
		community.permissions.set(this.id, true);
		this.deps.events.emit(community, 'message_new', { message: toJson(message), client_info: CLIENT_INFO });
		return message;
	}

	/** Presses a callback button: message_event, to be answered with messages.sendMessageEventAnswer. */
	pressButton(groupId: number, button: { payload: Json; conversation_message_id?: number }): string {
		const community = this.deps.state.community(groupId);
		const eventId = randomBytes(6).toString('hex');
		community.pendingEvents.set(eventId, { user_id: this.id, peer_id: this.id });
		const cmid = button.conversation_message_id ?? community.conversationCounters.get(this.id) ?? 1;
		// The schema types `payload` as string; VK's bot guide and vk-io deliver the button's JSON as an object.
		this.deps.events.emit(community, 'message_event', {
			user_id: this.id,
			peer_id: this.id,
			event_id: eventId,
			payload: button.payload,
			conversation_message_id: cmid,
		});
		return eventId;
	}

	/**
	 * Taps an `open_link` button of a community message's keyboard: the client opens the link and
	 * the community learns nothing (no event). Returns the link; throws when there is no such button.
	 */
	openLink(message: VkMessage, label?: string): string {
		const rows = (
			message.keyboard as { buttons?: { action?: { type?: string; link?: string; label?: string } }[][] }
		)?.buttons;
		const action = rows
			?.flat()
			.map((b) => b.action)
			.find((a) => a?.type === 'open_link' && (label === undefined || a.label === label));
		if (!action?.link)
			throw new Error(`message ${message.id} has no open_link button${label ? ` "${label}"` : ''}`);
		return action.link;
	}

	/** Forbids the community to write (message_deny); later sends fail with 901. */
	deny(groupId: number): void {
		const community = this.deps.state.community(groupId);
		community.permissions.set(this.id, false);
		this.deps.events.emit(community, 'message_deny', { user_id: this.id });
	}

	/** Allows messages from the community (message_allow, `key` from the allow widget). */
	allow(groupId: number, key = ''): void {
		const community = this.deps.state.community(groupId);
		community.permissions.set(this.id, true);
		this.deps.events.emit(community, 'message_allow', { user_id: this.id, key });
	}

	/** Edits one of the user's messages: message_edit carries the whole edited message. */
	edit(groupId: number, messageId: number, text: string): VkMessage {
		const community = this.deps.state.community(groupId);
		const message = community.messages.find((m) => m.id === messageId && m.from_id === this.id);
		if (!message) throw new Error(`user ${this.id} has no message ${messageId} in community ${groupId}`);
		message.text = text;
		message.update_time = this.#now();
		this.deps.events.emit(community, 'message_edit', toJson(message));
		return message;
	}

	#now(): number {
		return Math.floor(this.deps.clock.now() / 1000);
	}
}
