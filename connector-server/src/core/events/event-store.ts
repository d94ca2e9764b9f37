import {
	type EventChannel,
	type EventData,
	type EventType,
	parseEventData,
	type TimelineEvent,
	type TimelineQuery,
} from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { newId, toIso } from '../clock.ts';
import { ValidationError } from '../errors.ts';

export interface NewEvent<T extends EventType = EventType> {
	tenantId: string;
	customerId: string;
	type: T;
	channel: EventChannel;
	occurredAt: number;
	recordedAt: number;
	sourceKey: string;
	data: EventData<T>;
}

/**
 * Appends one event to the customer's timeline. Append-only: events are never updated or moved.
 * Returns the new id, or null when an event with the same source key exists (a redelivery).
 */
export async function appendEvent<T extends EventType>(tx: Db, event: NewEvent<T>): Promise<string | null> {
	const row = eventRow(event);
	const result = await tx
		.insertInto('events')
		.values(row)
		.onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? row.id : null;
}

/** Rows per INSERT: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 500;

/**
 * Appends events with one statement per 500 (a page of orders), in the order given. Each answer is
 * the event's new id, or null where an event with its source key exists, as appendEvent answers.
 */
export async function appendEvents(tx: Db, events: readonly NewEvent[]): Promise<(string | null)[]> {
	const rows = events.map(eventRow);
	const inserted = new Set<string>();
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
		const added = await tx
			.insertInto('events')
			.values(rows.slice(i, i + ROWS_PER_INSERT))
			.onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
			.returning('id')
			.execute();
		for (const row of added) inserted.add(row.id);
	}
	return rows.map((row) => (inserted.has(row.id) ? row.id : null));
}

function eventRow(event: NewEvent): Database['events'] {
	return {
		id: newId(event.recordedAt),
		tenant_id: event.tenantId,
		customer_id: event.customerId,
		type: event.type,
		channel: event.channel,
		occurred_at: event.occurredAt,
		recorded_at: event.recordedAt,
		source_key: event.sourceKey,
		data: JSON.stringify(parseEventData(event.type, event.data)),
	};
}

interface Cursor {
	at: number;
	id: string;
}

function encodeCursor(cursor: Cursor): string {
	return Buffer.from(`${cursor.at}:${cursor.id}`, 'utf8').toString('base64url');
}

function decodeCursor(raw: string): Cursor {
	const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split(':');
	if (!at || !id || !/^\d+$/.test(at))
		throw new ValidationError('invalid cursor', [
			{ path: 'cursor', message: 'not a cursor this API issued' },
		]);
	return { at: Number(at), id };
}

type EventRow = Database['events'];

export function toTimelineEvent(row: EventRow): TimelineEvent {
	const type = row.type as EventType;
	return {
		id: row.id,
		tenantId: row.tenant_id,
		customerId: row.customer_id,
		type,
		channel: row.channel as EventChannel,
		occurredAt: toIso(Number(row.occurred_at)),
		recordedAt: toIso(Number(row.recorded_at)),
		sourceKey: row.source_key,
		data: parseEventData(type, JSON.parse(row.data)),
	} as TimelineEvent;
}

/**
 * One page of a customer's unified timeline, newest first: the events of the customer and of
 * every customer merged into it. Keyset pagination on (occurred_at, id) stays stable while
 * new events arrive.
 */
export async function readTimeline(
	db: Db,
	tenantId: string,
	rootId: string,
	query: TimelineQuery,
): Promise<{ items: TimelineEvent[]; next: string | null }> {
	let q = db
		.selectFrom('events as e')
		.innerJoin('customers as c', 'c.id', 'e.customer_id')
		.selectAll('e')
		.where('e.tenant_id', '=', tenantId)
		.where('c.tenant_id', '=', tenantId)
		.where('c.root_id', '=', rootId);
	if (query.channel?.length) q = q.where('e.channel', 'in', query.channel);
	if (query.type?.length) q = q.where('e.type', 'in', query.type);
	if (query.from) q = q.where('e.occurred_at', '>=', Date.parse(query.from));
	if (query.to) q = q.where('e.occurred_at', '<', Date.parse(query.to));
	if (query.cursor) {
		const cursor = decodeCursor(query.cursor);
		q = q.where((eb) =>
			eb.or([
				eb('e.occurred_at', '<', cursor.at),
				eb.and([eb('e.occurred_at', '=', cursor.at), eb('e.id', '<', cursor.id)]),
			]),
		);
	}
	const rows = await q
		.orderBy('e.occurred_at', 'desc')
		.orderBy('e.id', 'desc')
		.limit(query.limit + 1)
		.execute();
	const page = rows.slice(0, query.limit);
	const last = page.at(-1);
	const next =
		rows.length > query.limit && last ? encodeCursor({ at: Number(last.occurred_at), id: last.id }) : null;
	return { items: page.map(toTimelineEvent), next };
}
