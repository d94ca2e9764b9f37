import { type InvokeDeps, invokeMethod } from './invoke.ts';
import type { PortalLimiter } from './limiter.ts';
import type { Caller } from './method-types.ts';
import { type PhpRecord, parsePhpQuery } from './php-query.ts';
import type { PortalState } from './portal-state.ts';
import { errorBody, RestError, restErrors } from './rest-envelope.ts';

const MAX_COMMANDS = 50;
const notInBatch = new Set(['batch', 'disk.file.upload', 'upload', 'download']);

/** PHP serialises an array keyed 0..n-1 as a list, and an empty array as `[]` (research §2.4). */
function phpArray(entries: Map<string, unknown>): unknown {
	const keys = [...entries.keys()];
	if (keys.length === 0) return [];
	if (keys.every((key, index) => key === String(index))) return [...entries.values()];
	return Object.fromEntries(entries);
}

/** Reads `$result[key][field][0]…` from earlier results. */
function lookup(results: Map<string, unknown>, path: string[]): unknown {
	let current: unknown = results.get(path[0] ?? '');
	for (const segment of path.slice(1)) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

const wholeRef = /^\$result\[([^\]]+)\]((?:\[[^\]]*\])*)$/;
const anyRef = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g;

function refPath(head: string, tail: string): string[] {
	return [head, ...[...tail.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')];
}

/** Substitutes references: a whole-value reference takes the referenced value (even an array); otherwise string-replace. */
function substitute(value: unknown, results: Map<string, unknown>): unknown {
	if (typeof value === 'string') {
		const whole = wholeRef.exec(value);
		if (whole) return lookup(results, refPath(whole[1] ?? '', whole[2] ?? '')) ?? value;
		return value.replace(anyRef, (match, head: string, tail: string) => {
			const found = lookup(results, refPath(head, tail));
			return found === undefined || typeof found === 'object' ? match : String(found);
		});
	}
	if (Array.isArray(value)) return value.map((item) => substitute(item, results));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
	}
	return value;
}

/**
 * `batch` (research §2.4): up to 50 `method?query` rows, `halt`, `$result[...]` references, and the
 * always-200 `{result, result_error, result_total, result_next, result_time}` answer.
 */
export async function runBatch(
	deps: InvokeDeps,
	portal: PortalState,
	limiter: PortalLimiter,
	caller: Caller,
	params: PhpRecord,
): Promise<Record<string, unknown>> {
	const cmd = params.cmd;
	const rows: Array<[string, unknown]> = Array.isArray(cmd)
		? cmd.map((row, index) => [String(index), row])
		: cmd && typeof cmd === 'object'
			? Object.entries(cmd)
			: [];
	const halt = params.halt === true || params.halt === 1 || params.halt === '1' || params.halt === 'true';
	const result = new Map<string, unknown>();
	const resultError = new Map<string, unknown>();
	const resultTotal = new Map<string, unknown>();
	const resultNext = new Map<string, unknown>();
	const resultTime = new Map<string, unknown>();
	for (const [index, [key, row]] of rows.entries()) {
		let error: RestError | undefined;
		if (index >= MAX_COMMANDS)
			error = new RestError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded', 400);
		const text = typeof row === 'string' ? row : '';
		const [rawMethod = '', query = ''] = text.split(/\?(.*)/s);
		const method = rawMethod.trim().toLowerCase();
		if (!error && notInBatch.has(method)) {
			error = new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405);
		}
		if (!error) {
			const parsed = substitute(parsePhpQuery(query), result) as PhpRecord;
			const { start, ...rest } = parsed;
			const fault = deps.faults.take(method).find((f) => f.kind !== 'latency');
			if (fault?.kind === 'rate-limit') error = restErrors.queryLimit();
			else if (fault?.kind === 'expired-token') error = restErrors.expiredToken();
			else if (fault?.kind === 'status') error = restErrors.internal();
			else {
				const invocation = await invokeMethod(deps, portal, limiter, {
					caller,
					method,
					params: rest,
					start: start === undefined ? undefined : Number(start),
				});
				if (invocation.ok) {
					result.set(key, invocation.outcome.result);
					if (invocation.outcome.total !== undefined) resultTotal.set(key, invocation.outcome.total);
					if (invocation.outcome.next !== undefined) resultNext.set(key, invocation.outcome.next);
					resultTime.set(key, invocation.time);
				} else error = invocation.error;
			}
		}
		if (error) {
			resultError.set(key, errorBody(error));
			if (halt) break;
		}
	}
	return {
		result: phpArray(result),
		result_error: phpArray(resultError),
		result_total: phpArray(resultTotal),
		result_next: phpArray(resultNext),
		result_time: phpArray(resultTime),
	};
}
