import { keyboardButtons } from './keyboard.ts';
import type { MaxDialog, MaxState } from './state.ts';
import type { MaxMessage, MaxUpdate, MaxUser } from './types.ts';

export interface MaxUserProfile {
	user_id: number;
	first_name: string;
	last_name?: string;
	username?: string;
	/** Sent as `user_locale`, e.g. `ru`. */
	locale?: string;
}

// Deep link max.ru/<bot>?start=<payload>: up to 128 chars (channels.md §4).
const maxPayloadLength = 128;

/** Plays one MAX user in a dialog with the bot; each action returns the Update the bot receives. */
export class MaxUserPlayer {
	readonly user: MaxUser;
	#callbacks = 0;

	constructor(
		private readonly profile: MaxUserProfile,
		private readonly state: MaxState,
	) {
		const name = [profile.first_name, profile.last_name].filter(Boolean).join(' ');
		this.user = {
			user_id: profile.user_id,
			first_name: profile.first_name,
			last_name: profile.last_name ?? null,
			username: profile.username ?? null,
			is_bot: false,
			last_activity_time: state.clock.now(),
			name,
		};
	}

	get dialog(): MaxDialog {
		return this.state.dialog(this.user);
	}

	get chatId(): number {
		return this.dialog.chatId;
	}

	/** What the bot sent to this user, oldest first. */
	get received(): MaxMessage[] {
		return this.dialog.sent.map((entry) => entry.message);
	}

	/** Presses Start (optionally from a deep link): `bot_started` with `payload`. */
	start(payload?: string): MaxUpdate {
		if (payload !== undefined && payload.length > maxPayloadLength) {
			throw new RangeError(`a MAX start payload is at most ${maxPayloadLength} chars`);
		}
		const dialog = this.dialog;
		dialog.started = true;
		dialog.stopped = false;
		return this.state.push({
			update_type: 'bot_started',
			timestamp: this.state.clock.now(),
			chat_id: dialog.chatId,
			user: this.user,
			payload: payload ?? null,
			...(this.profile.locale ? { user_locale: this.profile.locale } : {}),
		});
	}

	sendText(text: string): MaxUpdate {
		const dialog = this.dialog;
		if (dialog.stopped) throw new Error(`user ${this.user.user_id} stopped the bot: call start() first`);
		dialog.started = true;
		const message: MaxMessage = {
			sender: this.user,
			recipient: { chat_id: dialog.chatId, chat_type: 'dialog', user_id: this.state.bot.user_id },
			timestamp: this.state.clock.now(),
			body: { mid: this.state.nextMid(), seq: 1, text, attachments: null },
		};
		return this.state.push({
			update_type: 'message_created',
			timestamp: message.timestamp,
			message,
			user_locale: this.profile.locale ?? null,
		});
	}

	/** Presses a callback button under a bot message: `message_callback` with the button's payload. */
	pressButton(message: MaxMessage, payload: string): MaxUpdate {
		this.#callbacks += 1;
		const callbackId = `cb.${this.user.user_id}.${this.#callbacks}`;
		this.state.callbacks.set(callbackId, { answered: false });
		return this.state.push({
			update_type: 'message_callback',
			timestamp: this.state.clock.now(),
			callback: { timestamp: this.state.clock.now(), callback_id: callbackId, payload, user: this.user },
			message,
			user_locale: this.profile.locale ?? null,
		});
	}

	/**
	 * Taps a `link` button of a bot message: the client opens the URL and the bot learns nothing.
	 * Returns the URL; throws when the message has no such button.
	 */
	openLink(message: MaxMessage, text?: string): string {
		const button = keyboardButtons(message.body.attachments).find(
			(b) => b.type === 'link' && (text === undefined || b.text === text),
		);
		if (!button?.url)
			throw new Error(`message ${message.body.mid} has no link button${text ? ` "${text}"` : ''}`);
		return button.url;
	}

	/** Stops (blocks) the bot: `bot_stopped`; sends to this dialog are then refused. */
	stop(): MaxUpdate {
		this.dialog.stopped = true;
		return this.state.push({
			update_type: 'bot_stopped',
			timestamp: this.state.clock.now(),
			chat_id: this.dialog.chatId,
			user: this.user,
		});
	}
}
