import type { BotState, ChatRecord, TelegramState } from './state.ts';
import type { TgContact, TgMessage, TgMessageEntity, TgUpdate, TgUpdateBody, TgUser } from './types.ts';

/** Who plays the user: the fields a private chat's `from` carries. */
export interface TelegramUserProfile {
	id: number;
	first_name: string;
	last_name?: string;
	username?: string;
	language_code?: string;
}

// Deep-link payload: up to 64 chars of A-Z a-z 0-9 _ - (channels.md §1.6).
const startPayloadPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** A tiny non-empty stand-in for media a user sends when the test gives no bytes. */
const placeholder = (label: string): Buffer => Buffer.from(`emulated ${label}`);

/**
 * Plays one Telegram user talking to one bot in a private chat. Each action creates the Update the
 * bot would receive (via getUpdates or the webhook) and returns it; it returns undefined when the
 * bot's `allowed_updates` excludes that update type.
 */
export class TelegramUser {
	readonly user: TgUser;
	#callbackCounter = 0;

	constructor(
		profile: TelegramUserProfile,
		private readonly bot: BotState,
		private readonly state: TelegramState,
	) {
		this.user = { is_bot: false, ...profile };
	}

	get chatId(): number {
		return this.user.id;
	}

	get chat(): ChatRecord {
		return this.bot.privateChat(this.user);
	}

	/** Everything the bot sent to this user, oldest first. */
	get received(): TgMessage[] {
		return this.chat.sent.map((entry) => entry.message);
	}

	get lastReceived(): TgMessage | undefined {
		return this.received.at(-1);
	}

	#push(body: TgUpdateBody): TgUpdate | undefined {
		return this.bot.updates.push(body);
	}

	/** A new message from the user; a blocked bot receives nothing until the user unblocks it. */
	#message(content: Omit<TgMessage, 'message_id' | 'from' | 'chat' | 'date'>): TgUpdate | undefined {
		const record = this.chat;
		if (record.blocked)
			throw new Error(`user ${this.user.id} blocked the bot: call unblockBot() or start() first`);
		record.started = true;
		const message: TgMessage = {
			message_id: record.nextMessageId,
			from: this.user,
			chat: record.chat,
			date: this.state.unixNow(),
			...content,
		};
		record.nextMessageId += 1;
		record.messages.set(message.message_id, message);
		return this.#push({ message });
	}

	sendText(text: string): TgUpdate | undefined {
		const entities = commandEntities(text);
		return this.#message({ text, ...(entities.length ? { entities } : {}) });
	}

	/** `/start` or `/start <payload>` as a deep link `t.me/<bot>?start=<payload>` delivers it; unblocks first. */
	start(payload?: string): TgUpdate | undefined {
		if (payload !== undefined && !startPayloadPattern.test(payload)) {
			throw new RangeError('a start payload is 1-64 chars of A-Z a-z 0-9 _ - (Telegram drops others)');
		}
		if (this.chat.blocked) this.unblockBot();
		return this.sendText(payload === undefined ? '/start' : `/start ${payload}`);
	}

	sendPhoto(options: { data?: Buffer; caption?: string } = {}): TgUpdate | undefined {
		const data = options.data ?? placeholder('photo');
		const big = this.bot.storeFile(data, 'photos', 'jpg', 'image/jpeg');
		const small = this.bot.storeFile(data, 'photos', 'jpg', 'image/jpeg');
		return this.#message({
			photo: [
				{
					file_id: small.file_id,
					file_unique_id: small.file_unique_id,
					file_size: data.length,
					width: 90,
					height: 90,
				},
				{
					file_id: big.file_id,
					file_unique_id: big.file_unique_id,
					file_size: data.length,
					width: 800,
					height: 800,
				},
			],
			...(options.caption ? { caption: options.caption } : {}),
		});
	}

	sendDocument(
		options: { data?: Buffer; fileName?: string; mimeType?: string; caption?: string } = {},
	): TgUpdate | undefined {
		const data = options.data ?? placeholder('document');
		const fileName = options.fileName ?? 'document.pdf';
		const mime = options.mimeType ?? 'application/pdf';
		const ext = fileName.split('.').pop() ?? 'dat';
		const file = this.bot.storeFile(data, 'documents', ext, mime, fileName);
		return this.#message({
			document: {
				file_id: file.file_id,
				file_unique_id: file.file_unique_id,
				file_name: fileName,
				mime_type: mime,
				file_size: data.length,
			},
			...(options.caption ? { caption: options.caption } : {}),
		});
	}

	sendVoice(options: { data?: Buffer; duration?: number } = {}): TgUpdate | undefined {
		const data = options.data ?? placeholder('voice');
		const file = this.bot.storeFile(data, 'voice', 'oga', 'audio/ogg');
		return this.#message({
			voice: {
				file_id: file.file_id,
				file_unique_id: file.file_unique_id,
				duration: options.duration ?? 3,
				mime_type: 'audio/ogg',
				file_size: data.length,
			},
		});
	}

	sendSticker(options: { emoji?: string; setName?: string } = {}): TgUpdate | undefined {
		const data = placeholder('sticker');
		const file = this.bot.storeFile(data, 'stickers', 'webp', 'image/webp');
		return this.#message({
			sticker: {
				file_id: file.file_id,
				file_unique_id: file.file_unique_id,
				type: 'regular',
				width: 512,
				height: 512,
				is_animated: false,
				is_video: false,
				emoji: options.emoji ?? '👍',
				...(options.setName ? { set_name: options.setName } : {}),
				file_size: data.length,
			},
		});
	}

	sendLocation(latitude: number, longitude: number): TgUpdate | undefined {
		return this.#message({ location: { latitude, longitude } });
	}

	/** Shares the user's own phone, as a `request_contact` button does: `contact.user_id` is the sender. */
	shareOwnContact(phoneNumber: string): TgUpdate | undefined {
		const contact: TgContact = {
			phone_number: phoneNumber,
			first_name: this.user.first_name,
			user_id: this.user.id,
		};
		if (this.user.last_name) contact.last_name = this.user.last_name;
		return this.#message({ contact });
	}

	/** Forwards someone else's contact card: `user_id` is theirs (if they use Telegram) or absent. */
	sendContact(contact: TgContact): TgUpdate | undefined {
		return this.#message({ contact: { ...contact } });
	}

	/** Edits one of the user's own messages: an `edited_message` update. */
	editMessage(messageId: number, text: string): TgUpdate | undefined {
		const original = this.chat.messages.get(messageId);
		if (!original || original.from?.id !== this.user.id)
			throw new Error(`user has no message ${messageId} to edit`);
		const edited: TgMessage = { ...original, text, edit_date: this.state.unixNow() };
		const entities = commandEntities(text);
		if (entities.length) edited.entities = entities;
		else delete edited.entities;
		this.chat.messages.set(messageId, edited);
		return this.#push({ edited_message: edited });
	}

	/**
	 * Presses an inline button under a bot's message: a `callback_query` update. Throws when the message
	 * has no button with that `callback_data`, because no real user could press it.
	 */
	pressButton(messageId: number, callbackData: string): TgUpdate | undefined {
		const record = this.chat;
		const message = record.messages.get(messageId);
		const button = message?.reply_markup?.inline_keyboard
			.flat()
			.find((b) => b.callback_data === callbackData);
		if (!message || !button)
			throw new Error(`message ${messageId} has no button with callback_data ${callbackData}`);
		this.#callbackCounter += 1;
		const id = `${this.user.id}${String(this.#callbackCounter).padStart(6, '0')}`;
		this.bot.callbacks.set(id, { id, chatId: record.chat.id, answered: false });
		return this.#push({
			callback_query: {
				id,
				from: this.user,
				message,
				chat_instance: `-${this.bot.user.id}${this.user.id}`,
				data: callbackData,
			},
		});
	}

	/**
	 * Taps a URL button under a bot's message: the client opens the link and the bot learns nothing
	 * (no update). Returns the URL; throws when the message has no URL button with that text.
	 */
	openUrlButton(messageId: number, text?: string): string {
		const message = this.chat.messages.get(messageId);
		const button = message?.reply_markup?.inline_keyboard
			.flat()
			.find((b) => b.url !== undefined && (text === undefined || b.text === text));
		if (!button?.url) throw new Error(`message ${messageId} has no URL button${text ? ` "${text}"` : ''}`);
		return button.url;
	}

	/** Blocks the bot: a `my_chat_member` update member → kicked; sends to this chat then get 403. */
	blockBot(): TgUpdate | undefined {
		return this.#membership('member', 'kicked', true);
	}

	/** Unblocks (restarts) the bot: kicked → member. */
	unblockBot(): TgUpdate | undefined {
		return this.#membership('kicked', 'member', false);
	}

	#membership(from: 'member' | 'kicked', to: 'member' | 'kicked', blocked: boolean): TgUpdate | undefined {
		const record = this.chat;
		if (record.blocked === blocked) return undefined;
		record.blocked = blocked;
		record.started = true;
		const member = (status: 'member' | 'kicked') =>
			status === 'kicked' ? { status, user: this.bot.user, until_date: 0 } : { status, user: this.bot.user };
		return this.#push({
			my_chat_member: {
				chat: record.chat,
				from: this.user,
				date: this.state.unixNow(),
				old_chat_member: member(from),
				new_chat_member: member(to),
			},
		});
	}
}

/** Telegram marks a leading `/command` (optionally `@bot`) as a bot_command entity. */
function commandEntities(text: string): TgMessageEntity[] {
	const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
	return command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : [];
}
