import type { CounterPickup, TimelineEvent } from '@nitka/shared';
import type { Dict, Lang } from './i18n.ts';

/** Dates, money and one-line event summaries in the staff's language. */

export function dateTime(lang: Lang, iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
		dateStyle: 'short',
		timeStyle: 'short',
	}).format(date);
}

export function date(lang: Lang, iso: string): string {
	const value = new Date(iso);
	if (Number.isNaN(value.getTime())) return iso;
	return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium' }).format(value);
}

export function money(lang: Lang, amount: string | null | undefined, currency = 'RUB'): string {
	if (amount === null || amount === undefined) return '';
	const value = Number(amount);
	if (!Number.isFinite(value)) return amount;
	try {
		return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency }).format(
			value,
		);
	} catch {
		return `${amount} ${currency}`;
	}
}

/** `1 250,5` or `1250.50` → `1250.50` (the API's money), or null when it is not an amount. */
export function parseMoney(raw: string): string | null {
	const compact = raw.replace(/[\s\u00a0₽]/g, '').replace(',', '.');
	if (!/^\d{1,10}(\.\d{1,2})?$/.test(compact)) return null;
	return Number(compact).toFixed(2);
}

/** `2123456789012` → `2 123456 789012`, as printed under the card's barcode. */
export function loyaltyGroups(value: string): string {
	return /^\d{13}$/.test(value) ? `${value.slice(0, 1)} ${value.slice(1, 7)} ${value.slice(7)}` : value;
}

const MAX_SUMMARY = 160;

/** A pickup's items as lines (`Чай × 2`) and its total in the staff's words (empty when unknown). */
export function pickupContents(
	lang: Lang,
	t: Dict,
	pickup: Pick<CounterPickup, 'items' | 'total' | 'currency'>,
): { lines: string[]; total: string } {
	const items = pickup.items ?? [];
	const amount = money(lang, pickup.total ?? null, pickup.currency ?? 'RUB');
	return {
		lines: items.map((item) => t.itemLine(item.name, item.quantity)),
		total: amount ? t.pickupTotal(amount) : '',
	};
}

/** One line for a pickup list: `Чай × 2, Мёд × 1 · Итого 1 150,00 ₽`, cut to fit. */
export function pickupSummary(
	lang: Lang,
	t: Dict,
	pickup: Pick<CounterPickup, 'items' | 'total' | 'currency'>,
): string {
	const { lines, total } = pickupContents(lang, t, pickup);
	const line = [lines.join(', '), total].filter(Boolean).join(' · ');
	return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}

/** A short line about an event; its text is shown as text, never as markup. */
export function eventSummary(lang: Lang, t: Dict, event: TimelineEvent): string {
	const data = event.data as Record<string, unknown>;
	const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
	let summary = '';
	switch (event.type) {
		case 'message.in':
		case 'message.out':
			summary = str('text') || (Array.isArray(data.attachments) && data.attachments.length > 0 ? '📎' : '');
			break;
		case 'order.created':
			summary = [str('number'), money(lang, str('total') || null, str('currency') || 'RUB')]
				.filter(Boolean)
				.join(' · ');
			break;
		case 'order.status_changed':
			summary = `${str('number')} → ${t.orderStatuses[str('to')] ?? str('to')}`;
			break;
		case 'pos.purchase':
			summary = [str('receiptId'), money(lang, str('total') || null, str('currency') || 'RUB')]
				.filter(Boolean)
				.join(' · ');
			break;
		case 'pos.return':
			summary = [str('reason'), money(lang, str('total') || null)].filter(Boolean).join(' · ');
			break;
		case 'pos.pickup':
			summary = str('orderNumber') ? t.order(str('orderNumber')) : '';
			break;
		case 'promo.issued':
		case 'promo.redeemed':
			summary = str('code');
			break;
		case 'note':
			summary = str('text');
			break;
		case 'pos.visit':
			summary = str('note');
			break;
		default:
			summary = '';
	}
	const title = t.events[event.type] ?? event.type;
	const line = summary ? `${title}: ${summary}` : title;
	return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}
