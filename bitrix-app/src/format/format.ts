import { locale } from '../i18n/i18n.ts';

/** "12 Mar 2026, 14:05" in the portal's language. */
export function dateTime(iso: string | null | undefined): string {
	if (!iso) return '—';
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '—';
	return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "14:05" for the time column of a timeline row. */
export function time(iso: string): string {
	return new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(new Date(iso));
}

/** "12 March 2026": a day separator in the timeline. */
export function day(iso: string): string {
	return new Intl.DateTimeFormat(locale(), { dateStyle: 'long' }).format(new Date(iso));
}

/** A decimal money string ("1499.90") with its currency. */
export function money(amount: string, currency = 'RUB'): string {
	const value = Number(amount);
	if (!Number.isFinite(value)) return `${amount} ${currency}`;
	return new Intl.NumberFormat(locale(), { style: 'currency', currency, maximumFractionDigits: 2 }).format(
		value,
	);
}

/** The calendar day of an ISO timestamp in local time, for grouping. */
export function dayKey(iso: string): string {
	const d = new Date(iso);
	return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
