import type { HostIntake } from '../../core/ports/host-intake.ts';
import type { HostPortal, HostPortalStore } from '../../core/ports/host-portals.ts';
import type { OutboxJobInput } from '../../core/ports/outbound.ts';
import { safeEqual } from '../../security/tokens.ts';
import { customerTarget } from './event-mapper.ts';
import { JOB } from './jobs.ts';
import { parsePhpForm } from './php-form.ts';
import { returnEventJobs } from './returns.ts';
import {
	CrmEventDataSchema,
	type EventEnvelope,
	EventEnvelopeSchema,
	OperatorMessagesSchema,
} from './schemas.ts';

export type EventOutcome =
	| 'accepted'
	| 'duplicate'
	| 'uninstalled'
	| 'ignored'
	| 'forbidden'
	| 'unknown-portal';

/**
 * Bitrix24 event intake. Every event is checked against the application_token stored for its
 * member_id (constant time): ONAPPUNINSTALL carries no tokens, so that is the only proof it came
 * from the portal (research §1.5). Accepted events are stored with the jobs that act on them.
 */
export function createEventIntake(deps: {
	store: HostPortalStore;
	intake: HostIntake;
	now: () => number;
	onUninstall: (tenantId: string) => void;
}) {
	async function authenticate(event: EventEnvelope): Promise<HostPortal | 'unknown-portal' | 'forbidden'> {
		const portal = await deps.store.byExternalId('bitrix24', event.auth.member_id);
		if (!portal) return 'unknown-portal';
		const secrets = await deps.store.secrets(portal.tenantId);
		if (!secrets || !safeEqual(secrets.applicationToken, event.auth.application_token)) return 'forbidden';
		return portal;
	}

	function jobsFor(event: EventEnvelope): { sourceKey: string; jobs: OutboxJobInput[] } | null {
		if (event.event === 'ONIMCONNECTORMESSAGEADD') {
			const data = OperatorMessagesSchema.parse(event.data);
			const jobs = data.MESSAGES.map((m) => ({
				kind: JOB.operatorReply,
				target: `bitrix24:chat:${m.chat.id}`,
				dedupeKey: `b24:reply:${m.im.message_id}`,
				payload: {
					line: data.LINE,
					imChatId: m.im.chat_id,
					imMessageId: m.im.message_id,
					chatKey: m.chat.id,
					text: m.message.text,
					operatorId: m.message.user_id,
					at: deps.now(),
				},
			}));
			return { sourceKey: `bitrix24:im:${data.MESSAGES.map((m) => m.im.message_id).join(',')}`, jobs };
		}
		if (event.event === 'ONCRMCONTACTDELETE' || event.event === 'ONCRMCONTACTUPDATE') {
			const { FIELDS } = CrmEventDataSchema.parse(event.data);
			const contactId = String(FIELDS.ID);
			return {
				sourceKey: `bitrix24:${event.event}:${contactId}:${event.ts ?? deps.now()}`,
				jobs: [
					{
						kind: JOB.contactCheck,
						target: customerTarget(`contact-${contactId}`),
						dedupeKey: `b24:check:${contactId}:${event.ts ?? deps.now()}`,
						payload: { contactId },
					},
				],
			};
		}
		// Journey 3: a task or deal changed; its check job decides whether that approves a return.
		return returnEventJobs(event, deps.now);
	}

	return {
		/** Handles one event body (form-encoded, as Bitrix24 posts it). */
		async handle(rawBody: string): Promise<EventOutcome> {
			const event = EventEnvelopeSchema.parse(parsePhpForm(rawBody));
			const portal = await authenticate(event);
			if (portal === 'unknown-portal' || portal === 'forbidden') return portal;
			if (event.event === 'ONAPPUNINSTALL') {
				await deps.store.uninstall(portal.tenantId);
				deps.onUninstall(portal.tenantId);
				return 'uninstalled';
			}
			return await accept(portal, event, rawBody);
		},
		/** Reconciliation: an event fetched with event.offline.get, already authenticated by the call itself. */
		async handleOffline(portal: HostPortal, name: string, data: Record<string, unknown>) {
			const event = EventEnvelopeSchema.parse({
				event: name,
				data,
				auth: { member_id: portal.externalId, application_token: 'offline', domain: portal.domain },
			});
			return await accept(portal, event, JSON.stringify({ event: name, data }));
		},
	};

	async function accept(portal: HostPortal, event: EventEnvelope, payload: string): Promise<EventOutcome> {
		const planned = jobsFor(event);
		if (!planned) return 'ignored';
		return await deps.intake.accept({
			tenantId: portal.tenantId,
			source: 'bitrix24',
			sourceKey: planned.sourceKey,
			payload,
			jobs: planned.jobs,
		});
	}
}
export type EventIntake = ReturnType<typeof createEventIntake>;
