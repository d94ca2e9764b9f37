import { z } from 'zod';
import type { CursorStore, Poller, UpdateSink } from '../../core/ports/channel-client.ts';
import { startPollLoop } from '../common/poll-loop.ts';
import type { MaxApi } from './max-api.ts';

export const MAX_UPDATE_TYPES = [
	'message_created',
	'message_edited',
	'message_callback',
	'bot_started',
	'bot_stopped',
];

const PageSchema = z.looseObject({
	updates: z.array(z.unknown()),
	marker: z.number().int().nullable().optional(),
});

/** `GET /updates` long polling; the marker is saved only after every update of the page is stored. */
export function startMaxPoller(
	api: MaxApi,
	sink: UpdateSink,
	cursor: CursorStore,
	onError: (error: unknown) => void,
): Poller {
	let marker: number | undefined;
	let loaded = false;
	return startPollLoop(async (signal) => {
		if (!loaded) {
			const saved = await cursor.load();
			marker = saved ? Number(saved) : undefined;
			loaded = true;
		}
		const page = await api.call(
			'GET',
			'/updates',
			{ marker, timeout: 25, limit: 100, types: MAX_UPDATE_TYPES.join(',') },
			undefined,
			PageSchema,
			signal,
		);
		for (const update of page.updates) {
			if (signal.aborted) return;
			await sink(update);
		}
		if (typeof page.marker === 'number' && page.marker !== marker) {
			marker = page.marker;
			await cursor.save(String(marker));
		}
	}, onError);
}
