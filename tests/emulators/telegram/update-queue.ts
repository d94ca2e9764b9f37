import { type Clock, systemClock } from '../kit/index.ts';
import { pollingConflict, type TelegramApiError } from './errors.ts';
import type { TgUpdate, TgUpdateBody, TgUpdateType } from './types.ts';

/** Update types a bot gets when `allowed_updates` is unset or empty (channels.md §1.2). */
const optInOnly = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export const updateTypeOf = (update: TgUpdateBody): TgUpdateType =>
	(Object.keys(update).find((key) => key !== 'update_id') ?? 'message') as TgUpdateType;

/** "Incoming updates are stored … but they will not be kept longer than 24 hours" (channels.md §1.2). */
export const updateRetentionMs = 24 * 60 * 60 * 1000;

interface Poller {
	wake(): void;
	terminate(error: TelegramApiError): void;
}

/**
 * A bot's pending updates, shared by getUpdates and the webhook pusher. `update_id` increases by one
 * per update and never repeats (§1.3); `allowed_updates` filters at creation time, so changing it
 * "does not affect updates created before the call". Updates older than 24 hours (on the emulator
 * clock) are discarded unreceived, as Telegram does.
 */
export class UpdateQueue {
	#nextId: number;
	#pending: TgUpdate[] = [];
	readonly #createdAt = new Map<number, number>();
	#allowed: string[] = [];
	#poller: Poller | undefined;
	readonly #listeners = new Set<() => void>();
	/** Updates not created because `allowed_updates` excluded their type. */
	readonly filtered: TgUpdateBody[] = [];

	constructor(
		firstUpdateId: number,
		private readonly clock: Clock = systemClock,
	) {
		this.#nextId = firstUpdateId;
	}

	/** Updates the bot never received within 24 hours; Telegram drops them silently. */
	readonly expired: TgUpdate[] = [];

	get allowedUpdates(): string[] {
		return [...this.#allowed];
	}

	set allowedUpdates(types: string[]) {
		this.#allowed = [...types];
	}

	#isAllowed(type: string): boolean {
		return this.#allowed.length === 0 ? !optInOnly.has(type) : this.#allowed.includes(type);
	}

	/** Creates an update, or returns undefined when `allowed_updates` excludes its type. */
	push(body: TgUpdateBody): TgUpdate | undefined {
		if (!this.#isAllowed(updateTypeOf(body))) {
			this.filtered.push(body);
			return undefined;
		}
		const update: TgUpdate = { update_id: this.#nextId, ...body };
		this.#nextId += 1;
		this.#pending.push(update);
		this.#createdAt.set(update.update_id, this.clock.now());
		this.#poller?.wake();
		for (const listener of this.#listeners) listener();
		return update;
	}

	onPush(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	get pending(): readonly TgUpdate[] {
		this.#expire();
		return this.#pending;
	}

	#expire(): void {
		const cutoff = this.clock.now() - updateRetentionMs;
		const first = this.#pending[0];
		if (!first || (this.#createdAt.get(first.update_id) ?? cutoff) > cutoff) return;
		const kept: TgUpdate[] = [];
		for (const update of this.#pending) {
			if ((this.#createdAt.get(update.update_id) ?? cutoff) > cutoff) kept.push(update);
			else {
				this.expired.push(update);
				this.#createdAt.delete(update.update_id);
			}
		}
		this.#pending = kept;
	}

	/** getUpdates semantics: ids below a positive offset are confirmed; a negative offset keeps the last -offset. */
	confirm(offset: number | undefined): void {
		if (offset === undefined || offset === 0) return;
		if (offset > 0) this.#pending = this.#pending.filter((update) => update.update_id >= offset);
		else this.#pending = this.#pending.slice(offset);
	}

	remove(updateId: number): void {
		this.#pending = this.#pending.filter((update) => update.update_id !== updateId);
	}

	clear(): void {
		this.#pending = [];
	}

	/**
	 * Waits up to `timeoutMs` for pending updates. A newer poll terminates an older one with 409, as
	 * Telegram does when two instances poll the same bot.
	 */
	async waitForPending(timeoutMs: number, signal?: AbortSignal): Promise<void> {
		this.#poller?.terminate(pollingConflict());
		if (this.pending.length > 0 || timeoutMs <= 0 || signal?.aborted) return;
		await new Promise<void>((resolve, reject) => {
			// A client that hung up is no longer polling; its slot must not 409 the next poll.
			const onAbort = () => done();
			signal?.addEventListener('abort', onAbort, { once: true });
			const poller: Poller = {
				wake: () => done(),
				terminate: (error) => done(error),
			};
			const timer = setTimeout(() => done(), timeoutMs);
			const done = (error?: TelegramApiError) => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
				if (this.#poller === poller) this.#poller = undefined;
				if (error) reject(error);
				else resolve();
			};
			this.#poller = poller;
		});
	}

	/** Ends a waiting long poll (emulator shutdown, or a webhook being set). */
	release(): void {
		this.#poller?.wake();
	}
}
