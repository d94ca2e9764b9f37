import type { EventData, EventType, TimelineEvent } from '@nitka/shared';
import { money } from '../format/format.ts';
import { t } from '../i18n/i18n.ts';

type Describers = { [T in EventType]: (data: EventData<T>) => string };

const status = (value: string | null) => (value ? t(`order.status.${value}` as 'order.status.created') : '—');

/** One line per event type: the row's title. Rendered as text, so customer data stays inert. */
const describers: Describers = {
	'message.in': () => t('event.message.in'),
	'message.out': (d) =>
		d.author ? `${t('event.message.out')} · ${t('event.by', { author: d.author })}` : t('event.message.out'),
	'channel.blocked': () => t('event.channel.blocked'),
	'channel.unblocked': () => t('event.channel.unblocked'),
	'order.created': (d) => t('event.order.created', { number: d.number }),
	'order.status_changed': (d) =>
		t('event.order.status_changed', { number: d.number, from: status(d.from), to: status(d.to) }),
	'cart.abandoned': (d) => t('event.cart.abandoned', { total: money(d.total, d.currency) }),
	'pos.visit': () => t('event.pos.visit'),
	'pos.purchase': (d) =>
		`${t('event.pos.purchase', { receipt: d.receiptId })} · ${money(d.total, d.currency)}`,
	'pos.pickup': (d) => t('event.pos.pickup', { order: d.orderId }),
	'pos.return': (d) => (d.total ? `${t('event.pos.return')} · ${money(d.total)}` : t('event.pos.return')),
	'return.requested': (d) => t('event.return.requested', { number: d.number }),
	'return.approved': (d) => t('event.return.approved', { number: d.number }),
	'return.rejected': (d) => t('event.return.rejected', { number: d.number }),
	'promo.issued': (d) => t('event.promo.issued', { code: d.code }),
	'promo.redeemed': (d) => t('event.promo.redeemed', { code: d.code }),
	'consent.given': (d) => t('event.consent.given', { purpose: d.purpose }),
	'consent.withdrawn': (d) => t('event.consent.withdrawn', { purpose: d.purpose }),
	'customer.merged': () => t('event.customer.merged'),
	'customer.unmerged': () => t('event.customer.unmerged'),
	'identity.linked': (d) => t('event.identity.linked', { type: t(`identity.${d.type}`), value: d.value }),
	'identity.unlinked': (d) => t('event.identity.unlinked', { type: t(`identity.${d.type}`), value: d.value }),
	note: (d) => t('event.note', { author: d.author }),
};

export function describeEvent(event: TimelineEvent): string {
	const describe = describers[event.type] as (data: unknown) => string;
	return describe(event.data);
}

/** Free text an event carries beside its title (a note, a visit note, a return reason). */
export function eventBody(event: TimelineEvent): string | undefined {
	if (event.type === 'note') return event.data.text;
	if (event.type === 'pos.visit') return event.data.note;
	if (event.type === 'pos.return') return event.data.reason;
	if (event.type === 'return.requested') return event.data.reason;
	if (event.type === 'consent.given' || event.type === 'consent.withdrawn') return event.data.text;
	return undefined;
}
