import type { ReturnItem, ReturnSettings, ReturnState } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { OutboxJobInput } from './outbound.ts';

/** A return as a host shows it in its ticket (the customer's words are plain text). */
export interface ReturnTicketInfo {
	returnId: string;
	number: string;
	customerId: string;
	state: ReturnState;
	reason: string;
	items: ReturnItem[];
	total: string | null;
	currency: string | null;
	/** The order as the host knows it: its source, the source's id and number. */
	order: { id: string; source: string; externalId: string; number: string } | null;
	/** The ticket already made for it (`task:12`, `deal:34`), if any. */
	ticket: { host: string; id: string; url: string | null } | null;
	/** Where it was received, once it was (the location's name). */
	receivedAt: { location: string | null; at: number } | null;
	settings: ReturnSettings;
}

/**
 * What a host needs from journey 3's core: the return behind a ticket, recording the ticket it
 * made, and approving a return when its ticket says so (task completed, deal on the approved
 * stage). Implemented by `core/returns/`; the host imports only this port.
 */
export interface ReturnTickets {
	info(tenantId: string, returnId: string): Promise<ReturnTicketInfo | null>;
	recordTicket(
		tenantId: string,
		returnId: string,
		ticket: { host: string; id: string; url: string | null },
	): Promise<void>;
	/** The return a ticket belongs to. */
	byTicket(tenantId: string, host: string, ticketId: string): Promise<ReturnTicketInfo | null>;
	/** Returns still waiting for approval with a ticket in that host (the reconcile poll's list). */
	openTickets(
		tenantId: string,
		host: string,
		limit: number,
	): Promise<{ returnId: string; ticketId: string }[]>;
	/** requested → approved (once; later calls change nothing). `by` names the ticket or route. */
	approve(tenantId: string, returnId: string, by: string): Promise<'approved' | 'unchanged'>;
	/** requested or approved → rejected (once); the customer is told. */
	reject(tenantId: string, returnId: string, by: string): Promise<'rejected' | 'unchanged'>;
	settings(tenantId: string): Promise<ReturnSettings>;
	/**
	 * The host's ticket job for a return died for good (call from the job handler's `onDead`, in
	 * its transaction): staff get a note, a waiting customer hears the shop will come back. Returns
	 * the jobs to enqueue.
	 */
	ticketFailed(
		tx: Db,
		tenantId: string,
		returnId: string,
		job: { id: string; attempts: number; error: string; host: string },
	): Promise<OutboxJobInput[]>;
}
