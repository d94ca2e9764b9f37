import { z } from 'zod';
import type { CursorStore, Poller, UpdateSink } from '../../core/ports/channel-client.ts';
import { startPollLoop } from '../common/poll-loop.ts';
import type { BotApi } from './bot-api.ts';

/** Update types Nitka reads; `my_chat_member` must be asked for to see blocks. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'];

const UpdatesSchema = z.array(z.looseObject({ update_id: z.number().int().nonnegative() }));

/**
 * getUpdates long polling. Telegram forgets updates below the `offset` of the next call, so the
 * offset moves past an update only after the sink stored it; a crash re-reads, and the inbox's
 * source key makes the re-read a no-op.
 */
export function startTelegramPoller(
	api: BotApi,
	sink: UpdateSink,
	cursor: CursorStore,
	onError: (error: unknown) => void,
): Poller {
	let offset: number | undefined;
	return startPollLoop(async (signal) => {
		offset ??= Number((await cursor.load()) ?? 0) || undefined;
		const updates = await api.call(
			'getUpdates',
			{ ...(offset ? { offset } : {}), timeout: 25, allowed_updates: TELEGRAM_ALLOWED_UPDATES },
			UpdatesSchema,
			signal,
		);
		for (const update of updates) {
			if (signal.aborted) return;
			await sink(update);
			offset = update.update_id + 1;
			await cursor.save(String(offset));
		}
	}, onError);
}
