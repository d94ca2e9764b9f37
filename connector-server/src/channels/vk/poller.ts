import { z } from 'zod';
import type { CursorStore, Poller, UpdateSink } from '../../core/ports/channel-client.ts';
import { startPollLoop } from '../common/poll-loop.ts';

const ServerSchema = z.looseObject({
	key: z.string(),
	server: z.string(),
	ts: z.union([z.string(), z.number()]),
});
const AnswerSchema = z.union([
	z.looseObject({ failed: z.number().int(), ts: z.union([z.string(), z.number()]).optional() }),
	z.looseObject({ ts: z.union([z.string(), z.number()]), updates: z.array(z.unknown()) }),
]);

export type LongPollServer = z.infer<typeof ServerSchema>;

/**
 * Bots Long Poll (`a_check`). `ts` moves past a batch only after every event of it was stored.
 * `failed: 1` gives a new ts (history lost); 2 needs a new key; 3 a new key and ts.
 */
export function startVkPoller(
	getServer: () => Promise<unknown>,
	sink: UpdateSink,
	cursor: CursorStore,
	onError: (error: unknown) => void,
): Poller {
	let server: LongPollServer | undefined;
	let ts: string | undefined;
	return startPollLoop(async (signal) => {
		if (!server) {
			server = ServerSchema.parse(await getServer());
			ts ??= (await cursor.load()) ?? String(server.ts);
		}
		const url = new URL(server.server);
		url.search = new URLSearchParams({
			act: 'a_check',
			key: server.key,
			ts: ts ?? String(server.ts),
			wait: '25',
		}).toString();
		const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(35_000)]) });
		if (!response.ok) throw new Error(`VK long poll answered HTTP ${response.status}`);
		const answer = AnswerSchema.parse(await response.json());
		if ('failed' in answer) {
			if (answer.failed === 1 && answer.ts !== undefined) ts = String(answer.ts);
			else {
				if (answer.failed === 3) ts = undefined;
				server = undefined;
			}
			return;
		}
		for (const update of answer.updates) {
			if (signal.aborted) return;
			await sink(update);
		}
		ts = String(answer.ts);
		await cursor.save(ts);
	}, onError);
}
