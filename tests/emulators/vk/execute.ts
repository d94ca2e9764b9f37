import { VkApiError } from './errors.ts';
import type { MethodContext } from './method-context.ts';
import type { VkParams } from './params.ts';
import type { Json, JsonObject } from './types.ts';
import { type Node, parseVkScript } from './vkscript-parser.ts';

/** An API call inside `execute` that failed: VK answers `false` in its place and lists it here. */
export interface ExecuteError {
	method: string;
	error_code: number;
	error_msg: string;
}

const runtimeError = (detail: string) => new VkApiError(13, detail);

/** Arguments of `API.x.y({...})` become ordinary request parameters (lists comma-joined, booleans 1/0). */
function toParams(value: Json): VkParams {
	if (value === null) return {};
	if (typeof value !== 'object' || Array.isArray(value))
		throw runtimeError('method arguments must be an object');
	const params: VkParams = {};
	for (const [key, item] of Object.entries(value)) {
		if (item === null) continue;
		if (Array.isArray(item)) params[key] = item.map(String).join(',');
		else if (typeof item === 'boolean') params[key] = item ? '1' : '0';
		else if (typeof item === 'object') params[key] = JSON.stringify(item);
		else params[key] = String(item);
	}
	return params;
}

class Evaluator {
	readonly errors: ExecuteError[] = [];
	#calls = 0;
	readonly #vars = new Map<string, Json>();

	constructor(private readonly ctx: MethodContext) {}

	async run(code: string): Promise<Json> {
		for (const statement of parseVkScript(code)) {
			const value = await this.#eval(statement.value);
			if (statement.kind === 'return') return value;
			this.#vars.set(statement.name, value);
		}
		return null;
	}

	async #eval(node: Node): Promise<Json> {
		switch (node.kind) {
			case 'literal':
				return node.value;
			case 'array': {
				const items: Json[] = [];
				for (const item of node.items) items.push(await this.#eval(item));
				return items;
			}
			case 'object': {
				const object: JsonObject = {};
				for (const [key, value] of node.entries) object[key] = await this.#eval(value);
				return object;
			}
			case 'variable': {
				const value = this.#vars.get(node.name);
				if (value === undefined) throw runtimeError(`variable '${node.name}' is not defined`);
				return value;
			}
			case 'api':
				return await this.#call(node.method, node.args ? await this.#eval(node.args) : null);
			case 'field': {
				const target = await this.#eval(node.target);
				if (node.map) {
					if (!Array.isArray(target)) throw runtimeError('@. applied to a non-array');
					return target.map((item) => fieldOf(item, node.name));
				}
				return fieldOf(target, node.name);
			}
			case 'index': {
				const target = await this.#eval(node.target);
				const index = await this.#eval(node.index);
				if (!Array.isArray(target) || typeof index !== 'number') throw runtimeError('index on a non-array');
				return target[index] ?? null;
			}
			case 'binary': {
				const left = await this.#eval(node.left);
				const right = await this.#eval(node.right);
				if (typeof left === 'number' && typeof right === 'number') {
					return node.op === '+' ? left + right : left - right;
				}
				if (node.op === '+' && (typeof left === 'string' || typeof right === 'string')) {
					return `${String(left)}${String(right)}`;
				}
				throw runtimeError(`operator ${node.op} on incompatible values`);
			}
		}
	}

	async #call(method: string, args: Json): Promise<Json> {
		this.#calls += 1;
		if (this.#calls > this.ctx.options.executeMaxCalls) throw runtimeError('Too many API calls');
		if (method === 'execute') throw runtimeError('execute cannot be nested');
		try {
			return await this.ctx.call(method, toParams(args));
		} catch (error) {
			if (!(error instanceof VkApiError)) throw error;
			this.errors.push({ method, error_code: error.code, error_msg: error.message });
			return false;
		}
	}
}

function fieldOf(target: Json, name: string): Json {
	if (target === null || typeof target !== 'object' || Array.isArray(target)) return null;
	return target[name] ?? null;
}

/**
 * Runs `execute`: the result goes into `response`, failed inner calls into `execute_errors`
 * (channels.md §3.8). Compile errors → 12, runtime errors (including more than 25 calls) → 13.
 */
export async function runExecute(
	ctx: MethodContext,
): Promise<{ response: Json; execute_errors?: ExecuteError[] }> {
	const code = ctx.params.code;
	if (!code) throw new VkApiError(100, 'code is undefined');
	const evaluator = new Evaluator(ctx);
	const response = await evaluator.run(code);
	return evaluator.errors.length > 0 ? { response, execute_errors: evaluator.errors } : { response };
}
