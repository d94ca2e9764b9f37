import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { FaultInjector } from '../kit/index.ts';
import type { VkEventEnvelope } from './types.ts';

/** A Bots Long Poll failure code (channels.md §3.5): 1 history lost → new ts; 2 key expired; 3 key and ts lost. */
export type LongPollFailure = 1 | 2 | 3;

interface Stream {
	key: string;
	/** ts of the next event; a client polling with `ts` gets events numbered ≥ ts. */
	nextTs: number;
	events: { ts: number; update: VkEventEnvelope }[];
	waiters: Set<() => void>;
	injected: LongPollFailure[];
}

const newKey = () => randomBytes(20).toString('hex');

/** The Bots Long Poll server: one event stream per community, served at `/wh<group_id>`. */
export class LongPollHub {
	readonly #streams = new Map<number, Stream>();
	readonly #timers = new Set<NodeJS.Timeout>();
	#closed = false;

	constructor(
		private readonly options: { maxWaitSeconds: number; historySize: number },
		private readonly faults: FaultInjector,
	) {}

	#stream(groupId: number): Stream {
		let stream = this.#streams.get(groupId);
		if (!stream) {
			stream = { key: newKey(), nextTs: 1, events: [], waiters: new Set(), injected: [] };
			this.#streams.set(groupId, stream);
		}
		return stream;
	}

	/** What groups.getLongPollServer returns (`groups_long_poll_server`: all three are strings). */
	serverFor(groupId: number, baseUrl: string): { key: string; server: string; ts: string } {
		const stream = this.#stream(groupId);
		return { key: stream.key, server: `${baseUrl}/wh${groupId}`, ts: String(stream.nextTs) };
	}

	push(groupId: number, update: VkEventEnvelope): void {
		const stream = this.#stream(groupId);
		stream.events.push({ ts: stream.nextTs++, update });
		if (stream.events.length > this.options.historySize) stream.events.shift();
		for (const wake of stream.waiters) wake();
	}

	/** Makes the next poll of this community answer `{failed: code}` (and expire the key for 2 and 3). */
	injectFailure(groupId: number, code: LongPollFailure): void {
		this.#stream(groupId).injected.push(code);
	}

	/** Rotates the key, as VK does when a key expires: the old key then gets `{failed: 2}`. */
	expireKey(groupId: number): void {
		this.#stream(groupId).key = newKey();
	}

	readonly handle = async (req: Request, res: Response): Promise<void> => {
		const groupId = Number(req.params.groupId);
		const fault = await this.faults.apply('longpoll');
		if (fault?.kind === 'status') {
			res.status(fault.status).type('text/html').send(`<html><body>${fault.status}</body></html>`);
			return;
		}
		const stream = this.#stream(groupId);
		const query = req.query as Record<string, string | undefined>;
		if (query.act !== 'a_check') {
			res.status(400).type('text/plain').send('invalid act');
			return;
		}
		const injected = stream.injected.shift();
		if (injected !== undefined) {
			res.json(this.#renderFailure(stream, injected));
			return;
		}
		if (query.key !== stream.key) {
			res.json({ failed: 2 });
			return;
		}
		const ts = Number(query.ts);
		const oldest = stream.events[0]?.ts ?? stream.nextTs;
		if (!Number.isInteger(ts) || ts < oldest || ts > stream.nextTs) {
			// Events before `ts` were discarded (or ts is nonsense): start again from the current ts.
			res.json({ failed: 1, ts: stream.nextTs });
			return;
		}
		const wait = Math.min(Number(query.wait ?? 25) || 0, this.options.maxWaitSeconds);
		if (stream.nextTs === ts && wait > 0) await this.#waitForEvent(stream, wait * 1000);
		const updates = stream.events.filter((e) => e.ts >= ts).map((e) => e.update);
		res.json({ ts: String(stream.nextTs), updates });
	};

	#renderFailure(stream: Stream, code: LongPollFailure): { failed: LongPollFailure; ts?: number } {
		if (code === 1) return { failed: 1, ts: stream.nextTs };
		stream.key = newKey();
		if (code === 3) stream.events.length = 0;
		return { failed: code };
	}

	async #waitForEvent(stream: Stream, ms: number): Promise<void> {
		if (this.#closed) return;
		await new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.#timers.delete(timer);
				stream.waiters.delete(done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.#timers.add(timer);
			stream.waiters.add(done);
		});
	}

	/** Releases every waiting poll, so the HTTP server can close at once. */
	close(): void {
		this.#closed = true;
		for (const stream of this.#streams.values()) for (const wake of [...stream.waiters]) wake();
	}
}
