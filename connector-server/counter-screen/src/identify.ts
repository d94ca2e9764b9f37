import type { CounterIdentifyRequest } from '@nitka/shared';

/** A scanned or typed value → the identify request it means. */
export function identifyRequestFor(raw: string): CounterIdentifyRequest | null {
	const value = raw.trim();
	if (!value) return null;
	if (/^nq1\./i.test(value)) return { qr: value };
	const compact = value.replace(/[\s()-]/g, '');
	// A loyalty card: the in-store EAN-13 (13 digits). Phones are 10–12 digits, or start with +.
	if (/^\d{13}$/.test(compact)) return { loyalty: compact };
	if (/^\+?\d{5,15}$/.test(compact)) return { phone: value };
	// Anything else is a code someone scanned: the server says whether it is ours.
	return { qr: value };
}
