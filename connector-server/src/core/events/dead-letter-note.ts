import { newId } from '../clock.ts';
import type { InboundEvent } from '../ports/inbound.ts';

/** Who writes the staff's notes about work that died: the timeline shows it as the author. */
export const NITKA_AUTHOR = 'Nitka';

/**
 * A `note` on the customer's timeline saying a job of theirs died for good (the dead letter stays
 * in the outbox's list; the note is where staff serving the customer see it). The outbox runs a
 * handler's `onDead` once per death (in the transaction that parks the job), so each death gets its
 * own key: a retried job that dies again is noted again.
 */
export function deadLetterNote(
	job: { id: string; attempts: number; error: string },
	what: string,
	at: number,
): InboundEvent {
	const error = job.error.length > 300 ? `${job.error.slice(0, 299)}…` : job.error;
	return {
		type: 'note',
		channel: 'nitka',
		occurredAt: at,
		sourceKey: `outbox:dead:${job.id}:${newId(at)}`,
		data: { text: `${what}\nОшибка: ${error}`, author: NITKA_AUTHOR },
	};
}
