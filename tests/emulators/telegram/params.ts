import { badRequest } from './errors.ts';
import type { MultipartBody, UploadedPart } from './multipart.ts';

/**
 * A method's parameters however they arrived: query string, JSON, urlencoded or multipart. The Bot
 * API accepts strings for numbers and booleans and JSON-serialized strings for objects in every
 * non-JSON form, so the getters coerce the way Telegram does.
 */
export class Params {
	constructor(
		private readonly values: Record<string, unknown>,
		private readonly files: Record<string, UploadedPart> = {},
	) {}

	static from(query: Record<string, unknown>, body: unknown, multipart?: MultipartBody): Params {
		const values: Record<string, unknown> = { ...query };
		if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(values, body);
		if (multipart) Object.assign(values, multipart.fields);
		return new Params(values, multipart?.files ?? {});
	}

	/** Plain values for the call log; uploads appear as their `attach://` or field references. */
	toRecord(): Record<string, unknown> {
		return { ...this.values };
	}

	has(name: string): boolean {
		const value = this.values[name];
		return value !== undefined && value !== null && value !== '';
	}

	raw(name: string): unknown {
		return this.values[name];
	}

	string(name: string): string | undefined {
		const value = this.values[name];
		if (value === undefined || value === null) return undefined;
		if (typeof value === 'string') return value;
		if (typeof value === 'number' || typeof value === 'boolean') return String(value);
		return undefined;
	}

	int(name: string): number | undefined {
		const value = this.values[name];
		if (value === undefined || value === null || value === '') return undefined;
		const parsed = typeof value === 'number' ? value : Number(value);
		return Number.isInteger(parsed) ? parsed : Number.NaN;
	}

	number(name: string): number | undefined {
		const value = this.values[name];
		if (value === undefined || value === null || value === '') return undefined;
		return typeof value === 'number' ? value : Number(value);
	}

	bool(name: string): boolean {
		const value = this.values[name];
		return value === true || value === 'true' || value === '1' || value === 1 || value === 'True';
	}

	/** An object parameter: as-is from JSON bodies, JSON-decoded from every other form. */
	json(name: string, onInvalid: string): unknown {
		const value = this.values[name];
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'string') return value;
		try {
			return JSON.parse(value) as unknown;
		} catch {
			throw badRequest(onInvalid);
		}
	}

	/** An InputFile parameter: an upload in this field, an `attach://<name>` reference to one, or a string. */
	file(name: string): UploadedPart | string | undefined {
		const direct = this.files[name];
		if (direct) return direct;
		const value = this.string(name);
		if (value?.startsWith('attach://')) return this.files[value.slice('attach://'.length)];
		return value === '' ? undefined : value;
	}
}
