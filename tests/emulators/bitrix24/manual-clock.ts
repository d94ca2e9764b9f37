import type { Clock } from '../kit/index.ts';

/** A clock that only moves when a test says so: token expiry and the limiter become deterministic. */
export interface ManualClock extends Clock {
	advance(ms: number): void;
	set(ms: number): void;
}

export function createManualClock(startMs = Date.UTC(2025, 8, 9, 13, 31, 11)): ManualClock {
	let now = startMs;
	return {
		now: () => now,
		advance: (ms) => {
			now += ms;
		},
		set: (ms) => {
			now = ms;
		},
	};
}
