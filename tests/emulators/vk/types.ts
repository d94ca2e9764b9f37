/** JSON as VK sends and receives it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A VK user profile as users.get returns it. */
export interface VkUserProfile {
	id: number;
	first_name: string;
	last_name: string;
}

/** `messages_message` (5.199), the fields the emulator fills. */
export interface VkMessage {
	id: number;
	date: number;
	peer_id: number;
	from_id: number;
	text: string;
	out: 0 | 1;
	conversation_message_id: number;
	version: number;
	attachments: JsonObject[];
	fwd_messages: JsonObject[];
	important: boolean;
	is_hidden: boolean;
	random_id?: number;
	payload?: string;
	keyboard?: JsonObject;
	geo?: JsonObject;
	ref?: string;
	ref_source?: string;
	update_time?: number;
	admin_author_id?: number;
}

/** Event types a Long Poll or Callback server can subscribe to (the subset the emulator emits). */
export const MESSAGE_EVENT_TYPES = [
	'message_new',
	'message_reply',
	'message_edit',
	'message_allow',
	'message_deny',
	'message_event',
	'message_typing_state',
	'message_read',
] as const;
export type VkEventType = (typeof MESSAGE_EVENT_TYPES)[number];

/** The Callback/Long Poll envelope (channels.md §3.4). `secret` only on Callback deliveries. */
export interface VkEventEnvelope {
	group_id: number;
	type: string;
	event_id: string;
	v: string;
	object: Json;
	secret?: string;
}

/** A plain JSON copy of a typed record (drops undefined fields, detaches it from state). */
export function toJson(value: object): JsonObject {
	return JSON.parse(JSON.stringify(value)) as JsonObject;
}
