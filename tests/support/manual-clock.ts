import type { Clock } from '../../connector-server/src/core/clock.ts';

/** A clock tests move by hand: limits, backoff and leases are tested without waiting. */
export class ManualClock implements Clock {
	constructor(private current = Date.parse('2026-11-23T10:00:00Z')) {}

	now(): number {
		return this.current;
	}

	advance(ms: number): void {
		this.current += ms;
	}

	set(ms: number): void {
		this.current = ms;
	}
}
