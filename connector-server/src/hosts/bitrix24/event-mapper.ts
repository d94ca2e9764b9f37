import type { EventType } from '@nitka/shared';
import type { HostEventMapper, StoredHostEvent } from '../../core/ports/host-intake.ts';
import type { OutboxJobInput } from '../../core/ports/outbound.ts';
import { JOB } from './jobs.ts';
import { returnJobs } from './returns.ts';
import { orderLogEntry } from './timeline-log.ts';

const CHANNEL_TITLES: Record<string, string> = { telegram: 'Telegram', vk: 'VK', max: 'MAX' };

/** Every job of one customer shares a target: the outbox keeps them in order (contact first). */
export const customerTarget = (customerId: string) => `bitrix24:customer:${customerId}`;

const log = (s: StoredHostEvent, title: string, text: string, icon = 'info'): OutboxJobInput => ({
	kind: JOB.timelineLog,
	target: customerTarget(s.customerId),
	dedupeKey: `b24:log:${s.eventId}`,
	payload: { customerId: s.customerId, title, text, icon },
});

type Data = Record<string, unknown>;
const str = (value: unknown) =>
	typeof value === 'string' ? value : value === undefined ? '' : String(value);

/**
 * What Bitrix24 does with each stored event: customer messages go to the open line and the
 * contact's timeline; orders become deals (and a log entry); counter visits, purchases and
 * merges become log entries. Operator replies (origin bitrix24) are never echoed back.
 */
export const bitrix24EventMapper: HostEventMapper = (stored) => {
	const jobs: OutboxJobInput[] = [];
	for (const s of stored) {
		const data = s.event.data as Data;
		const type: EventType = s.event.type;
		if (type === 'message.in') {
			const channel = str(data.channel);
			const text =
				str(data.text) ||
				(Array.isArray(data.attachments) && data.attachments.length > 0 ? '[attachment]' : '');
			if (!text) continue;
			jobs.push({
				kind: JOB.openLineSend,
				target: customerTarget(s.customerId),
				dedupeKey: `b24:ol:${s.eventId}`,
				payload: {
					customerId: s.customerId,
					channel,
					connectionId: str(data.connectionId),
					chatId: str(data.chatId),
					externalId: str(data.externalId),
					text,
					at: s.event.occurredAt,
				},
			});
			jobs.push(log(s, `${CHANNEL_TITLES[channel] ?? channel}: message`, text.slice(0, 5000), 'chat'));
		} else if (type === 'order.created' || type === 'order.status_changed') {
			const status = type === 'order.created' ? str(data.status) : str(data.to);
			jobs.push({
				kind: JOB.dealSync,
				target: customerTarget(s.customerId),
				dedupeKey: `b24:deal:${s.eventId}`,
				payload: {
					customerId: s.customerId,
					source: str(data.source),
					orderId: str(data.orderId),
					number: str(data.number),
					status,
					...(typeof data.total === 'string' ? { total: data.total } : {}),
					currency: str(data.currency) || 'RUB',
				},
			});
			const entry = orderLogEntry({ source: str(data.source), number: str(data.number), status });
			jobs.push(log(s, entry.title, entry.text, entry.icon));
		} else if (type.startsWith('pos.')) {
			jobs.push(log(s, 'Counter', type.replace('pos.', 'Counter: '), 'info'));
			jobs.push(...returnJobs(s));
		} else if (type === 'return.requested' || type === 'return.approved' || type === 'return.rejected') {
			jobs.push(
				log(
					s,
					'Return',
					`${type === 'return.requested' ? 'Requested' : type === 'return.approved' ? 'Approved' : 'Rejected'}: ${str(data.number)}`,
					'info',
				),
			);
			jobs.push(...returnJobs(s));
		} else if (type === 'customer.merged') {
			jobs.push(
				log(s, 'Customers merged', `Merged ${str(data.mergedId)} into ${str(data.survivorId)}`, 'attention'),
			);
		} else if (type === 'promo.issued' || type === 'promo.redeemed') {
			jobs.push(log(s, 'Promo', type, 'check'));
		}
	}
	return jobs;
};
