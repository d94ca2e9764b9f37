import type { Request } from 'express';
import { z } from 'zod';
import { VkApiError } from './errors.ts';

export type VkParams = Record<string, string>;

/** `a[]=1&a[]=2` and `a=1,2` both mean a list to VK; the emulator keeps lists comma-joined. */
function flatten(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value)) return value.map((item) => flatten(item) ?? '').join(',');
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/**
 * The parameters of one API call: query string plus an urlencoded body. A JSON body is ignored on
 * purpose — VK accepts only urlencoded or multipart POST bodies (channels.md §3.1).
 */
export function readParams(req: Request): VkParams {
	const params: VkParams = {};
	const sources: unknown[] = [req.query];
	if (req.is('application/x-www-form-urlencoded')) sources.push(req.body);
	for (const source of sources) {
		if (!source || typeof source !== 'object') continue;
		for (const [key, value] of Object.entries(source)) {
			const flat = flatten(value);
			if (flat !== undefined) params[key] = flat;
		}
	}
	return params;
}

/** `access_token` parameter first, then `Authorization: Bearer <token>`. */
export function readToken(req: Request, params: VkParams): string | undefined {
	if (params.access_token) return params.access_token;
	const header = req.get('authorization');
	const match = header?.match(/^Bearer\s+(.+)$/i);
	return match?.[1]?.trim();
}

const integer = z.string().regex(/^-?\d+$/);

/** An integer parameter; missing → undefined (or error 100 when required), malformed → error 100. */
export function intParam(params: VkParams, name: string, required: true): number;
export function intParam(params: VkParams, name: string, required?: false): number | undefined;
export function intParam(params: VkParams, name: string, required = false): number | undefined {
	const raw = params[name];
	if (raw === undefined || raw === '') {
		if (required) throw new VkApiError(100, `${name} is undefined`);
		return undefined;
	}
	if (!integer.safeParse(raw).success) throw new VkApiError(100, `${name} not integer`);
	return Number(raw);
}

/** A comma-separated integer list (`peer_ids`, `user_ids`). */
export function intListParam(params: VkParams, name: string): number[] | undefined {
	const raw = params[name];
	if (raw === undefined || raw === '') return undefined;
	return raw.split(',').map((part) => {
		const trimmed = part.trim();
		if (!integer.safeParse(trimmed).success) throw new VkApiError(100, `${name} not integer`);
		return Number(trimmed);
	});
}

/** VK's boolean flags arrive as `1`/`0` (also `true`/`false` from some clients). */
export function flagParam(params: VkParams, name: string): boolean | undefined {
	const raw = params[name];
	if (raw === undefined) return undefined;
	return raw === '1' || raw === 'true';
}
