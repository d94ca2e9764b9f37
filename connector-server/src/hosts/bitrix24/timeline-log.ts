/** A log entry on a contact's timeline (`crm.timeline.logmessage.add`, research §4.7). */
export interface LogEntry {
	title: string;
	text: string;
	icon: string;
}

/** The log entry of an order at a status: the same for live order events and the backfill. */
export function orderLogEntry(order: { source: string; number: string; status: string }): LogEntry {
	return {
		title: `Order ${order.number} (${order.source})`,
		text: `Status: ${order.status}`,
		icon: 'arrow-down',
	};
}

/**
 * `crm.timeline.logmessage.add` params on a contact; `contact` may be a batch reference
 * (`$result[c1]`) to a contact created earlier in the same batch.
 */
export function contactLogParams(contact: number | string, entry: LogEntry) {
	return {
		fields: {
			entityTypeId: 3,
			entityId: contact,
			title: entry.title,
			text: entry.text,
			iconCode: entry.icon,
		},
	};
}
