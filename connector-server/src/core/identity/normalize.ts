import { type IdentifierType, identifierTypes } from '@nitka/shared';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type NormalizedIdentifier =
	| { ok: true; type: IdentifierType; value: string }
	| { ok: false; reason: string };

/** Phones that forms and marketplaces fill in when the real one is unknown. */
function isJunkPhone(e164: string): boolean {
	const national = e164.replace(/^\+7/, '').replace(/^\+/, '');
	if (/^(\d)\1+$/.test(national)) return true; // 0000000000, 9999999999
	if (/^0+$/.test(national.slice(3))) return true; // 9000000000
	return ['1234567890', '0123456789', '9876543210'].includes(national);
}

const PLACEHOLDER_EMAIL_LOCALS = new Set([
	'no',
	'none',
	'noemail',
	'no-email',
	'noreply',
	'no-reply',
	'test',
	'null',
	'nomail',
	'na',
	'n-a',
	'unknown',
	'email',
	'mail',
	'empty',
	'x',
	'xx',
	'xxx',
	'asd',
	'qwe',
	'qwerty',
	'a',
	'aa',
	'aaa',
]);
const PLACEHOLDER_EMAIL_DOMAINS = new Set([
	'example.com',
	'example.org',
	'example.net',
	'example.ru',
	'test.com',
	'test.ru',
	'mail.test',
	'localhost',
	'noemail.com',
	'no.ru',
	'none.ru',
	'email.com',
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

function normalizePhone(raw: string): NormalizedIdentifier {
	// libphonenumber reads "8 (912) 345-67-89" as a Russian national number, strips "доб."/"ext" extensions.
	const parsed = parsePhoneNumberFromString(raw.trim(), 'RU');
	if (!parsed?.isValid()) return { ok: false, reason: 'not a valid phone number' };
	const e164 = parsed.number;
	if (isJunkPhone(e164)) return { ok: false, reason: 'placeholder phone number' };
	return { ok: true, type: 'phone', value: e164 };
}

function normalizeEmail(raw: string): NormalizedIdentifier {
	const value = raw.trim().toLowerCase();
	if (!EMAIL.test(value) || value.length > 254) return { ok: false, reason: 'not a valid email address' };
	const [local = '', domain = ''] = value.split('@');
	if (
		PLACEHOLDER_EMAIL_DOMAINS.has(domain) ||
		PLACEHOLDER_EMAIL_LOCALS.has(local) ||
		/^(.)\1+$/.test(local)
	) {
		return { ok: false, reason: 'placeholder email address' };
	}
	return { ok: true, type: 'email', value };
}

const PLATFORM_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Normalizes one identifier to the form it is stored and matched in, or says why it is unusable.
 * Platform ids are kept as given (trimmed); junk never reaches the graph.
 */
export function normalizeIdentifier(type: IdentifierType, raw: string): NormalizedIdentifier {
	if (type === 'phone') return normalizePhone(raw);
	if (type === 'email') return normalizeEmail(raw);
	const value = raw.trim();
	if (type === 'inn') {
		return /^(\d{10}|\d{12})$/.test(value)
			? { ok: true, type, value }
			: { ok: false, reason: 'INN must have 10 or 12 digits' };
	}
	if (!PLATFORM_ID.test(value)) return { ok: false, reason: `not a valid ${identifierTypes[type].label} id` };
	if (/^0+$/.test(value)) return { ok: false, reason: `placeholder ${identifierTypes[type].label} id` };
	return { ok: true, type, value };
}

export function isSingleValued(type: IdentifierType): boolean {
	return identifierTypes[type].cardinality === 'single';
}
