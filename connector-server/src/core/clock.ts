import { monotonicFactory } from 'ulid';

/** Time source; tests pass a manual clock so nothing waits on the wall clock. */
export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

const ulid = monotonicFactory();

/** A new sortable id (ULID); monotonic within this process even inside one millisecond. */
export function newId(at: number = Date.now()): string {
	return ulid(at);
}

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const fromIso = (iso: string): number => Date.parse(iso);
