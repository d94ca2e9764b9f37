import type { Clock } from '../kit/index.ts';

/** A clock tests move by hand, so limit windows and push deadlines need no real waiting. */
export class ManualClock implements Clock {
	#now: number;

	constructor(start: number | string = '2026-11-02T09:00:00Z') {
		this.#now = typeof start === 'number' ? start : Date.parse(start);
	}

	now(): number {
		return this.#now;
	}

	advance(ms: number): void {
		this.#now += ms;
	}

	set(at: number | string): void {
		this.#now = typeof at === 'number' ? at : Date.parse(at);
	}
}
