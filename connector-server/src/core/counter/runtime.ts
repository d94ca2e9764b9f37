import type { EventReactor } from '../ingest/ingest.ts';
import { type CounterKeys, deriveCounterKeys } from './qr-tokens.ts';

/** What the counter routes need from the composition root. */
export interface CounterRuntime {
	keys: CounterKeys;
	/** The server's reactors: counter events notify and update hosts like any channel's events. */
	reactors: readonly EventReactor[];
	/** Resolves once every commit so far would survive a power cut (answers wait for it). */
	durable(): Promise<void>;
	/** Called after an action committed (wakes the outbox worker for its notifications). */
	committed(): void;
	/** Identify by phone or loyalty number: at most `limit` lookups per device per window. */
	identifyLimit: { windowMs: number; limit: number };
}

export const DEFAULT_IDENTIFY_LIMIT = { windowMs: 10 * 60_000, limit: 30 } as const;

export function createCounterRuntime(options: {
	masterKey: Buffer;
	reactors: readonly EventReactor[];
	durable: () => Promise<void>;
	committed?: () => void;
	identifyLimit?: { windowMs: number; limit: number } | undefined;
}): CounterRuntime {
	return {
		keys: deriveCounterKeys(options.masterKey),
		reactors: options.reactors,
		durable: options.durable,
		committed: options.committed ?? (() => {}),
		identifyLimit: options.identifyLimit ?? DEFAULT_IDENTIFY_LIMIT,
	};
}
