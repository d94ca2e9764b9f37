import type { Clock } from '../kit/index.ts';
import type { MaxBotInfo, MaxMessage, MaxSubscription, MaxUpdate, MaxUser } from './types.ts';

export interface MaxSentMessage {
	message: MaxMessage;
	/** The request body as sent (attachments, format, keyboard), for assertions. */
	body: Record<string, unknown>;
	at: number;
}

export interface MaxDialog {
	chatId: number;
	user: MaxUser;
	started: boolean;
	stopped: boolean;
	sent: MaxSentMessage[];
}

export interface MaxDelivery {
	update: MaxUpdate;
	url: string;
	attempt: number;
	status: number | 'network-error' | 'dropped';
	secretHeader?: string;
}

interface Queued {
	seq: number;
	update: MaxUpdate;
}

/** Everything the MAX emulator knows about one bot, for tests to assert on. */
export class MaxState {
	readonly dialogs = new Map<number, MaxDialog>();
	readonly subscriptions: (MaxSubscription & { secret?: string })[] = [];
	readonly callbacks = new Map<string, { answered: boolean; answer?: unknown }>();
	readonly deliveries: MaxDelivery[] = [];
	readonly lostUpdates: MaxUpdate[] = [];
	/** Subscription URLs the emulator removed after failing deliveries for `unsubscribeAfterMs`. */
	readonly unsubscribed: string[] = [];
	#queue: Queued[] = [];
	#nextSeq = 1;
	#nextMid = 1;
	readonly #listeners = new Set<() => void>();

	constructor(
		readonly token: string,
		readonly bot: MaxBotInfo,
		readonly clock: Clock,
	) {}

	/** A user's dialog with the bot; MAX gives each dialog its own chat_id, distinct from user_id. */
	dialog(user: MaxUser): MaxDialog {
		let dialog = this.dialogs.get(user.user_id);
		if (!dialog) {
			dialog = { chatId: -(70_000_000_000 + user.user_id), user, started: false, stopped: false, sent: [] };
			this.dialogs.set(user.user_id, dialog);
		}
		return dialog;
	}

	dialogByChatId(chatId: number): MaxDialog | undefined {
		return [...this.dialogs.values()].find((dialog) => dialog.chatId === chatId);
	}

	nextMid(): string {
		const mid = `mid.${String(this.#nextMid).padStart(16, '0')}`;
		this.#nextMid += 1;
		return mid;
	}

	push(update: MaxUpdate): MaxUpdate {
		this.#queue.push({ seq: this.#nextSeq, update });
		this.#nextSeq += 1;
		for (const listener of this.#listeners) listener();
		return update;
	}

	onPush(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Updates after `marker` (all unconfirmed ones without it); passing a marker confirms what came before. */
	read(
		marker: number | undefined,
		limit: number,
		types: string[] | undefined,
	): { updates: MaxUpdate[]; marker: number } {
		if (marker !== undefined) this.#queue = this.#queue.filter((item) => item.seq >= marker);
		const matching = this.#queue
			.filter((item) => !types || types.includes(item.update.update_type))
			.slice(0, limit);
		const last = matching.at(-1);
		return {
			updates: matching.map((item) => item.update),
			marker: last ? last.seq + 1 : (marker ?? this.#nextSeq),
		};
	}

	get pending(): MaxUpdate[] {
		return this.#queue.map((item) => item.update);
	}

	shift(): MaxUpdate | undefined {
		return this.#queue.shift()?.update;
	}

	peek(): MaxUpdate | undefined {
		return this.#queue[0]?.update;
	}
}
