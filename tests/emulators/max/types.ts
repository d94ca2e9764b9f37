/**
 * MAX bot API objects, shaped as the platform documents them (dev.max.ru/docs-api) and as the
 * `@maxhub/max-bot-api` typings carry them (channels.md §4). Timestamps are Unix milliseconds.
 */

export interface MaxUser {
	user_id: number;
	first_name: string;
	last_name?: string | null;
	username?: string | null;
	is_bot: boolean;
	last_activity_time: number;
	name?: string | null;
}

export interface MaxBotInfo extends MaxUser {
	description?: string | null;
	commands?: { name: string; description?: string }[] | null;
}

export type MaxChatType = 'dialog' | 'chat' | 'channel';

export interface MaxAttachment {
	type: string;
	payload?: unknown;
}

export interface MaxMessageBody {
	mid: string;
	seq: number;
	text: string | null;
	attachments: MaxAttachment[] | null;
}

export interface MaxMessage {
	sender?: MaxUser;
	recipient: { chat_id: number | null; chat_type: MaxChatType; user_id?: number | null };
	timestamp: number;
	body: MaxMessageBody;
}

export interface MaxCallback {
	timestamp: number;
	callback_id: string;
	payload?: string;
	user: MaxUser;
}

export type MaxUpdate =
	| { update_type: 'message_created'; timestamp: number; message: MaxMessage; user_locale?: string | null }
	| { update_type: 'message_edited'; timestamp: number; message: MaxMessage }
	| {
			update_type: 'message_callback';
			timestamp: number;
			callback: MaxCallback;
			message?: MaxMessage | null;
			user_locale?: string | null;
	  }
	| {
			update_type: 'bot_started';
			timestamp: number;
			chat_id: number;
			user: MaxUser;
			payload?: string | null;
			user_locale?: string;
	  }
	| { update_type: 'bot_stopped'; timestamp: number; chat_id: number; user: MaxUser };

export type MaxUpdateType = MaxUpdate['update_type'];

export interface MaxSubscription {
	url: string;
	time: number;
	update_types: string[] | null;
	version: string | null;
}
