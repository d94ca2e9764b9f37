import type { VkErrorCode } from './errors.ts';

interface Rule {
	match: string | RegExp;
	code: VkErrorCode;
	remaining: number;
}

/**
 * VK errors beyond the kit's fault kinds (9 Flood control, 10 Internal server error, 901, …):
 * the next `times` calls of a matching method answer with that error inside HTTP 200.
 */
export class VkErrorInjector {
	readonly #rules: Rule[] = [];

	add(match: string | RegExp, code: VkErrorCode, times = 1): void {
		this.#rules.push({ match, code, remaining: times });
	}

	clear(): void {
		this.#rules.length = 0;
	}

	take(method: string): VkErrorCode | undefined {
		for (const rule of this.#rules) {
			if (rule.remaining <= 0) continue;
			const hit = typeof rule.match === 'string' ? rule.match === method : rule.match.test(method);
			if (!hit) continue;
			rule.remaining -= 1;
			return rule.code;
		}
		return undefined;
	}
}
