import { VkApiError } from './errors.ts';

/**
 * The VKScript subset the emulator's `execute` understands:
 *
 *   program   := statement*
 *   statement := "var" name "=" expr ";" | "return" expr ";"?
 *   expr      := term (("+" | "-") term)*
 *   term      := primary ("." name | "@." name | "[" expr "]")*
 *   primary   := number | "string" | 'string' | true | false | null | name
 *              | "[" expr,* "]" | "{" (name|string) ":" expr,* "}"
 *              | "API." name ("." name)? "(" expr? ")"
 *
 * That covers what clients generate (vk-io: `return [API.messages.send({...}), ...];`) and simple
 * chaining through variables. Loops, conditions and functions are not supported: they fail with 12.
 */
export type Node =
	| { kind: 'literal'; value: string | number | boolean | null }
	| { kind: 'array'; items: Node[] }
	| { kind: 'object'; entries: [string, Node][] }
	| { kind: 'variable'; name: string }
	| { kind: 'api'; method: string; args?: Node }
	| { kind: 'field'; target: Node; name: string; map: boolean }
	| { kind: 'index'; target: Node; index: Node }
	| { kind: 'binary'; op: '+' | '-'; left: Node; right: Node };

export type Statement = { kind: 'var'; name: string; value: Node } | { kind: 'return'; value: Node };

type Token =
	| { type: 'num'; value: number }
	| { type: 'str'; value: string }
	| { type: 'id'; value: string }
	| { type: 'op'; value: string };

const compileError = (detail: string) => new VkApiError(12, detail);

function tokenize(code: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < code.length) {
		const ch = code[i] ?? '';
		if (/\s/.test(ch)) {
			i++;
		} else if (code.startsWith('//', i)) {
			while (i < code.length && code[i] !== '\n') i++;
		} else if (
			/[0-9]/.test(ch) ||
			(ch === '-' && /[0-9]/.test(code[i + 1] ?? '') && isUnaryPosition(tokens))
		) {
			const match = /^-?\d+(\.\d+)?/.exec(code.slice(i));
			tokens.push({ type: 'num', value: Number(match?.[0]) });
			i += match?.[0].length ?? 1;
		} else if (ch === '"' || ch === "'") {
			let j = i + 1;
			let value = '';
			while (j < code.length && code[j] !== ch) {
				if (code[j] === '\\') {
					const next = code[j + 1] ?? '';
					value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
					j += 2;
				} else {
					value += code[j];
					j++;
				}
			}
			if (j >= code.length) throw compileError('unterminated string');
			tokens.push({ type: 'str', value });
			i = j + 1;
		} else if (/[A-Za-z_$]/.test(ch)) {
			const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(code.slice(i));
			tokens.push({ type: 'id', value: match?.[0] ?? ch });
			i += match?.[0].length ?? 1;
		} else if (code.startsWith('@.', i)) {
			tokens.push({ type: 'op', value: '@.' });
			i += 2;
		} else if ('[]{}(),:;.=+-'.includes(ch)) {
			tokens.push({ type: 'op', value: ch });
			i++;
		} else {
			throw compileError(`unexpected character '${ch}'`);
		}
	}
	return tokens;
}

function isUnaryPosition(tokens: Token[]): boolean {
	const last = tokens.at(-1);
	return !last || (last.type === 'op' && last.value !== ')' && last.value !== ']');
}

class Parser {
	#at = 0;
	constructor(private readonly tokens: Token[]) {}

	#peek(): Token | undefined {
		return this.tokens[this.#at];
	}

	#isOp(value: string): boolean {
		const token = this.#peek();
		return token?.type === 'op' && token.value === value;
	}

	#expectOp(value: string): void {
		if (!this.#isOp(value)) throw compileError(`expected '${value}'`);
		this.#at++;
	}

	#name(): string {
		const token = this.#peek();
		if (token?.type !== 'id') throw compileError('expected a name');
		this.#at++;
		return token.value;
	}

	program(): Statement[] {
		const statements: Statement[] = [];
		while (this.#peek()) {
			if (this.#isOp(';')) {
				this.#at++;
				continue;
			}
			const word = this.#name();
			if (word === 'var') {
				const name = this.#name();
				this.#expectOp('=');
				statements.push({ kind: 'var', name, value: this.#expr() });
			} else if (word === 'return') {
				statements.push({ kind: 'return', value: this.#expr() });
			} else {
				throw compileError(`unsupported statement '${word}'`);
			}
			if (this.#peek()) this.#expectOp(';');
		}
		return statements;
	}

	#expr(): Node {
		let left = this.#term();
		while (this.#isOp('+') || this.#isOp('-')) {
			const op = this.#isOp('+') ? '+' : '-';
			this.#at++;
			left = { kind: 'binary', op, left, right: this.#term() };
		}
		return left;
	}

	#term(): Node {
		let node = this.#primary();
		for (;;) {
			if (this.#isOp('.') || this.#isOp('@.')) {
				const map = this.#isOp('@.');
				this.#at++;
				node = { kind: 'field', target: node, name: this.#name(), map };
			} else if (this.#isOp('[')) {
				this.#at++;
				const index = this.#expr();
				this.#expectOp(']');
				node = { kind: 'index', target: node, index };
			} else {
				return node;
			}
		}
	}

	#primary(): Node {
		const token = this.#peek();
		if (!token) throw compileError('unexpected end of code');
		if (token.type === 'num' || token.type === 'str') {
			this.#at++;
			return { kind: 'literal', value: token.value };
		}
		if (token.type === 'op' && token.value === '[') return this.#array();
		if (token.type === 'op' && token.value === '{') return this.#object();
		if (token.type !== 'id') throw compileError(`unexpected '${token.value}'`);
		this.#at++;
		if (token.value === 'true' || token.value === 'false')
			return { kind: 'literal', value: token.value === 'true' };
		if (token.value === 'null') return { kind: 'literal', value: null };
		if (token.value === 'API') return this.#apiCall();
		return { kind: 'variable', name: token.value };
	}

	#apiCall(): Node {
		this.#expectOp('.');
		const parts = [this.#name()];
		if (this.#isOp('.')) {
			this.#at++;
			parts.push(this.#name());
		}
		this.#expectOp('(');
		const args = this.#isOp(')') ? undefined : this.#expr();
		this.#expectOp(')');
		return { kind: 'api', method: parts.join('.'), ...(args ? { args } : {}) };
	}

	#array(): Node {
		this.#expectOp('[');
		const items: Node[] = [];
		while (!this.#isOp(']')) {
			items.push(this.#expr());
			if (!this.#isOp(']')) this.#expectOp(',');
		}
		this.#at++;
		return { kind: 'array', items };
	}

	#object(): Node {
		this.#expectOp('{');
		const entries: [string, Node][] = [];
		while (!this.#isOp('}')) {
			const key = this.#peek();
			if (key?.type !== 'id' && key?.type !== 'str') throw compileError('expected a key');
			this.#at++;
			this.#expectOp(':');
			entries.push([String(key.value), this.#expr()]);
			if (!this.#isOp('}')) this.#expectOp(',');
		}
		this.#at++;
		return { kind: 'object', entries };
	}
}

/** Parses VKScript code or throws error 12 (Unable to compile code). */
export function parseVkScript(code: string): Statement[] {
	return new Parser(tokenize(code)).program();
}
