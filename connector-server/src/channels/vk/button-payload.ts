import { z } from 'zod';

// VK button payloads are JSON (≤ 255 chars); Nitka's own buttons carry their data under one key.
const NitkaPayloadSchema = z.looseObject({ nitka: z.string().min(1).max(64) });

export function vkButtonPayload(data: string): string {
	return JSON.stringify({ nitka: data });
}

/** A pressed button's data: Nitka's own string, or the payload as JSON text for anything else. */
export function vkButtonData(payload: unknown): string {
	let value = payload;
	if (typeof payload === 'string') {
		try {
			value = JSON.parse(payload) as unknown;
		} catch {
			return payload.slice(0, 1000);
		}
	}
	const own = NitkaPayloadSchema.safeParse(value);
	if (own.success) return own.data.nitka;
	return (typeof payload === 'string' ? payload : JSON.stringify(payload ?? null)).slice(0, 1000);
}
