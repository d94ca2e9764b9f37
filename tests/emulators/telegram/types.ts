/**
 * The subset of Bot API objects the emulator produces, shaped as the Bot API documents them
 * (https://core.telegram.org/bots/api#available-types). Optional fields are omitted, never `null`.
 */

export interface TgUser {
	id: number;
	is_bot: boolean;
	first_name: string;
	last_name?: string;
	username?: string;
	language_code?: string;
}

export interface TgChat {
	id: number;
	type: 'private' | 'group' | 'supergroup' | 'channel';
	title?: string;
	username?: string;
	first_name?: string;
	last_name?: string;
}

export interface TgMessageEntity {
	type: string;
	offset: number;
	length: number;
	url?: string;
	language?: string;
}

export interface TgPhotoSize {
	file_id: string;
	file_unique_id: string;
	width: number;
	height: number;
	file_size?: number;
}

export interface TgDocument {
	file_id: string;
	file_unique_id: string;
	file_name?: string;
	mime_type?: string;
	file_size?: number;
}

export interface TgVoice {
	file_id: string;
	file_unique_id: string;
	duration: number;
	mime_type?: string;
	file_size?: number;
}

export interface TgSticker {
	file_id: string;
	file_unique_id: string;
	type: 'regular' | 'mask' | 'custom_emoji';
	width: number;
	height: number;
	is_animated: boolean;
	is_video: boolean;
	emoji?: string;
	set_name?: string;
	file_size?: number;
}

export interface TgContact {
	phone_number: string;
	first_name: string;
	last_name?: string;
	user_id?: number;
	vcard?: string;
}

export interface TgLocation {
	latitude: number;
	longitude: number;
	horizontal_accuracy?: number;
}

export interface TgInlineKeyboardButton {
	text: string;
	callback_data?: string;
	url?: string;
}

export interface TgInlineKeyboardMarkup {
	inline_keyboard: TgInlineKeyboardButton[][];
}

export interface TgMessage {
	message_id: number;
	from?: TgUser;
	chat: TgChat;
	date: number;
	edit_date?: number;
	text?: string;
	entities?: TgMessageEntity[];
	caption?: string;
	caption_entities?: TgMessageEntity[];
	photo?: TgPhotoSize[];
	document?: TgDocument;
	voice?: TgVoice;
	sticker?: TgSticker;
	contact?: TgContact;
	location?: TgLocation;
	reply_markup?: TgInlineKeyboardMarkup;
}

export interface TgCallbackQuery {
	id: string;
	from: TgUser;
	message?: TgMessage;
	chat_instance: string;
	data?: string;
}

export interface TgChatMember {
	status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
	user: TgUser;
	until_date?: number;
}

export interface TgChatMemberUpdated {
	chat: TgChat;
	from: TgUser;
	date: number;
	old_chat_member: TgChatMember;
	new_chat_member: TgChatMember;
}

/** An Update carries exactly one of these optional fields (Bot API: "at most one"). */
export interface TgUpdateBody {
	message?: TgMessage;
	edited_message?: TgMessage;
	callback_query?: TgCallbackQuery;
	my_chat_member?: TgChatMemberUpdated;
}

export interface TgUpdate extends TgUpdateBody {
	update_id: number;
}

export type TgUpdateType = keyof TgUpdateBody;

export interface TgFile {
	file_id: string;
	file_unique_id: string;
	file_size?: number;
	file_path?: string;
}

export interface TgBotCommand {
	command: string;
	description: string;
}

export interface TgWebhookInfo {
	url: string;
	has_custom_certificate: boolean;
	pending_update_count: number;
	ip_address?: string;
	last_error_date?: number;
	last_error_message?: string;
	max_connections?: number;
	allowed_updates?: string[];
}
