/**
 * Masks personal data before anything is logged (152-FZ): phone numbers and emails inside any
 * string, and whole values under secret-looking keys. Logs keep enough to debug ("+7 *** ** 67")
 * and nothing that identifies a person or opens an account.
 */
const SECRET_KEY =
	/(token|secret|password|passwd|authorization|api[-_]?key|cookie|signature|^auth$|refresh|access)/i;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// Seven or more digits, optionally with +, spaces, dashes and brackets between them.
const PHONE = /\+?\d[\d\s()-]{5,}\d/g;

export function maskString(value: string): string {
	return value
		.replace(EMAIL, (_all, first: string, domain: string) => `${first}***@${domain}`)
		.replace(PHONE, (match) => {
			const digits = match.replace(/\D/g, '');
			if (digits.length < 7) return match;
			return `***${digits.slice(-2)}`;
		});
}

export function maskPersonalData(value: unknown, depth = 0): unknown {
	if (depth > 8) return '[depth]';
	if (typeof value === 'string') return maskString(value);
	if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, depth + 1));
	if (value instanceof Error) {
		// The stack's first line repeats the message, and a cause may carry what the message does not.
		const out: Record<string, unknown> = {
			type: value.name,
			message: maskString(value.message),
			stack: value.stack === undefined ? undefined : maskString(value.stack),
		};
		if (value.cause !== undefined) out.cause = maskPersonalData(value.cause, depth + 1);
		return out;
	}
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			out[key] = SECRET_KEY.test(key) ? '[redacted]' : maskPersonalData(inner, depth + 1);
		}
		return out;
	}
	return value;
}
