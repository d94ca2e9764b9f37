import type { Clock } from '../kit/index.ts';
import type { ReplyMarkup } from './reply-markup.ts';
import type { TgBotCommand, TgChat, TgMessage, TgUpdate, TgUser } from './types.ts';
import { UpdateQueue } from './update-queue.ts';

/** A message the bot sent (or edited), kept per chat with the emulator clock's time. */
export interface SentMessage {
	method: string;
	message: TgMessage;
	/** The markup as sent, reply keyboards included (a Message object only carries inline ones). */
	replyMarkup?: ReplyMarkup;
	/** Emulator clock, ms. */
	at: number;
}

/** One API call as the emulator understood it (multipart bodies included), for assertions. */
export interface ApiCall {
	token: string;
	method: string;
	params: Record<string, unknown>;
	/** Field names of uploaded files. */
	uploads: string[];
	/** HTTP status of the answer. */
	status: number;
	at: number;
}

export interface ChatRecord {
	chat: TgChat;
	/** The user behind a private chat. */
	user?: TgUser;
	/** Whether the user ever wrote to the bot: a bot can't initiate a private conversation. */
	started: boolean;
	blocked: boolean;
	nextMessageId: number;
	messages: Map<number, TgMessage>;
	sent: SentMessage[];
}

export interface StoredFile {
	file_id: string;
	file_unique_id: string;
	file_path: string;
	data: Buffer;
	mime_type: string;
	file_name?: string;
	/** Where a file sent by URL came from (the emulator never fetches it). */
	source_url?: string;
}

export interface WebhookConfig {
	url: string;
	secretToken?: string;
	maxConnections: number;
	ipAddress?: string;
	hasCustomCertificate: boolean;
	lastErrorDate?: number;
	lastErrorMessage?: string;
}

export interface CallbackRecord {
	id: string;
	chatId: number;
	answered: boolean;
	answer?: { text?: string; show_alert: boolean; url?: string; cache_time: number };
}

export interface DeliveryRecord {
	update: TgUpdate;
	url: string;
	attempt: number;
	status: number | 'network-error' | 'dropped';
	secretHeader?: string;
	at: number;
}

/** One bot: its identity, chats, files, webhook and pending updates. */
export class BotState {
	readonly chats = new Map<number, ChatRecord>();
	readonly files = new Map<string, StoredFile>();
	readonly commands = new Map<string, TgBotCommand[]>();
	readonly callbacks = new Map<string, CallbackRecord>();
	readonly deliveries: DeliveryRecord[] = [];
	/** Updates a `drop` fault or exhausted retries removed without delivery. */
	readonly lostUpdates: TgUpdate[] = [];
	readonly updates: UpdateQueue;
	webhook: WebhookConfig | undefined;
	#fileCounter = 0;

	constructor(
		readonly token: string,
		readonly user: TgUser,
		firstUpdateId: number,
		clock?: Clock,
	) {
		this.updates = new UpdateQueue(firstUpdateId, clock);
	}

	chat(id: number): ChatRecord | undefined {
		return this.chats.get(id);
	}

	privateChat(user: TgUser): ChatRecord {
		let record = this.chats.get(user.id);
		if (!record) {
			const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name };
			if (user.last_name) chat.last_name = user.last_name;
			if (user.username) chat.username = user.username;
			record = {
				chat,
				user,
				started: false,
				blocked: false,
				nextMessageId: 1,
				messages: new Map(),
				sent: [],
			};
			this.chats.set(user.id, record);
		}
		return record;
	}

	/** Finds a chat by numeric id or by `@username`, as `chat_id` allows. */
	resolveChat(chatId: string | number): ChatRecord | undefined {
		if (typeof chatId === 'string' && chatId.startsWith('@')) {
			const name = chatId.slice(1).toLowerCase();
			return [...this.chats.values()].find((record) => record.chat.username?.toLowerCase() === name);
		}
		const id = Number(chatId);
		return Number.isInteger(id) ? this.chats.get(id) : undefined;
	}

	storeFile(data: Buffer, folder: string, extension: string, mime: string, fileName?: string): StoredFile {
		this.#fileCounter += 1;
		const n = this.#fileCounter;
		// file_id is opaque in the Bot API; the bot id inside keeps ids of two bots apart.
		const file: StoredFile = {
			file_id: `AgAC${this.user.id}_${n}_${folder}`,
			file_unique_id: `AQAD${n}`,
			file_path: `${folder}/file_${n}.${extension}`,
			data,
			mime_type: mime,
		};
		if (fileName) file.file_name = fileName;
		this.files.set(file.file_id, file);
		return file;
	}

	fileByPath(path: string): StoredFile | undefined {
		return [...this.files.values()].find((file) => file.file_path === path);
	}
}

/** Everything the Telegram emulator knows, for tests to assert on. */
export class TelegramState {
	readonly bots = new Map<string, BotState>();
	readonly calls: ApiCall[] = [];

	constructor(readonly clock: Clock) {}

	/** Unix seconds on the emulator clock, as Bot API `date` fields are. */
	unixNow(): number {
		return Math.floor(this.clock.now() / 1000);
	}

	bot(token?: string): BotState {
		const bot = token === undefined ? this.bots.values().next().value : this.bots.get(token);
		if (!bot) throw new Error(`no bot ${token ?? ''} in the Telegram emulator`);
		return bot;
	}

	/** What the bot sent to a chat, in order. */
	sentTo(chatId: number, token?: string): SentMessage[] {
		return this.bot(token).chat(chatId)?.sent ?? [];
	}
}
