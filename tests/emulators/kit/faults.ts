/**
 * Faults a test can inject into an emulator. Each emulator renders a fault in its platform's own
 * error envelope (a Telegram 429 is not a VK error 6), so the kit only decides *whether* one fires.
 */
export type Fault =
	| { kind: 'latency'; ms: number }
	/** An HTTP 5xx (or any status) from the platform's front end. */
	| { kind: 'status'; status: number }
	/** The platform's own rate-limit error, with its advised delay where it has one. */
	| { kind: 'rate-limit'; retryAfterSeconds?: number }
	/** The platform's expired / invalid token error. */
	| { kind: 'expired-token' }
	/** An outbound delivery (webhook, event, push) that the platform silently never sends. */
	| { kind: 'drop' };

export interface FaultRule {
	/** What the rule applies to: a method name, a path or an event name; a RegExp tests the same string. */
	match: string | RegExp;
	fault: Fault;
	/** How many times it fires before it is used up; default: forever. */
	times?: number;
}

interface ActiveRule extends FaultRule {
	remaining: number;
}

export class FaultInjector {
	readonly #rules: ActiveRule[] = [];

	/** Adds a rule; returns a function that removes it. */
	add(rule: FaultRule): () => void {
		const active: ActiveRule = { ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
		this.#rules.push(active);
		return () => {
			const index = this.#rules.indexOf(active);
			if (index >= 0) this.#rules.splice(index, 1);
		};
	}

	clear(): void {
		this.#rules.length = 0;
	}

	/**
	 * The faults that fire for `target` now: every matching latency rule, and the first matching
	 * rule of any other kind (so `times: 1` rules queued for one method fire one per call, in order).
	 * Each fired rule's use is counted.
	 */
	take(target: string): Fault[] {
		const fired: Fault[] = [];
		let answered = false;
		for (const rule of this.#rules) {
			if (rule.remaining <= 0) continue;
			const hit = typeof rule.match === 'string' ? rule.match === target : rule.match.test(target);
			if (!hit) continue;
			if (rule.fault.kind !== 'latency') {
				if (answered) continue;
				answered = true;
			}
			rule.remaining -= 1;
			fired.push(rule.fault);
		}
		return fired;
	}

	/** Applies latency faults, and returns the first non-latency fault (the one the platform answers with). */
	async apply(target: string): Promise<Exclude<Fault, { kind: 'latency' }> | undefined> {
		let answer: Exclude<Fault, { kind: 'latency' }> | undefined;
		for (const fault of this.take(target)) {
			if (fault.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));
			else answer ??= fault;
		}
		return answer;
	}
}
