import { z } from 'zod';
import type { HostIntake } from '../../core/ports/host-intake.ts';
import type { HostLinks } from '../../core/ports/host-links.ts';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import { type OutboxHandler, PermanentDeliveryError, type RateLimit } from '../../core/ports/outbound.ts';
import type { ReturnTickets } from '../../core/ports/returns.ts';
import type { ClientPool } from './client-pool.ts';
import { CONTACT_IDENTITY, ensureContact, getContact, safeName } from './crm-contacts.ts';
import { syncDeal } from './crm-deals.ts';
import { Bitrix24ApiError, toDeliveryError } from './errors.ts';
import {
	ContactCheckSchema,
	DealSyncSchema,
	JOB,
	OpenLineSendSchema,
	OperatorReplySchema,
	TimelineLogSchema,
} from './jobs.ts';
import { chatKey, confirmDelivery, imolOf, parseChatKey, plainText, sendToOpenLine } from './open-lines.ts';
import type { PortalLimits } from './rest-client.ts';
import {
	checkTicket,
	closeTicket,
	createTicket,
	RETURN_JOB,
	ReturnCheckJobSchema,
	ReturnReceivedJobSchema,
	ReturnTicketJobSchema,
} from './returns.ts';
import { Bitrix24SettingsSchema } from './schemas.ts';
import { contactLogParams } from './timeline-log.ts';

export interface HandlerDeps {
	pool: ClientPool;
	store: HostPortalStore;
	links: HostLinks;
	intake: HostIntake;
	limits: PortalLimits;
	now: () => number;
	/** Journey 3's returns (absent: no return tickets). */
	returns?: ReturnTickets | undefined;
}

/**
 * The Bitrix24 outbox handlers. All of a portal's jobs draw from one bucket keyed by the portal
 * (Bitrix24 counts per portal and source IP), so chats, deals and logs never exceed 2/s together.
 */
export function createBitrix24Handlers(deps: HandlerDeps): Record<string, OutboxHandler> {
	const limits = (_payload: unknown, job: { tenantId: string }): RateLimit[] => [
		{
			key: `bitrix24:portal:${job.tenantId}`,
			capacity: deps.limits.burst,
			perSecond: deps.limits.drainPerSecond,
		},
	];
	const settingsOf = async (tenantId: string) =>
		Bitrix24SettingsSchema.parse((await deps.store.byTenant(tenantId))?.settings ?? {});

	function handler<S extends z.ZodType>(
		schema: S,
		deliver: (payload: z.infer<S>, tenantId: string) => Promise<void>,
	): OutboxHandler {
		return {
			parse: (payload) => schema.parse(payload),
			limits,
			async deliver(payload, job) {
				try {
					await deliver(payload as z.infer<S>, job.tenantId);
				} catch (error) {
					// An uninstalled portal will never take the job: park it instead of retrying for days.
					if (
						error instanceof Bitrix24ApiError &&
						error.code === 'NO_AUTH_FOUND' &&
						!(await deps.store.secrets(job.tenantId))?.tokens
					) {
						throw new PermanentDeliveryError('the Bitrix24 app is uninstalled');
					}
					throw toDeliveryError(error, deps.limits.drainPerSecond);
				}
			},
		};
	}

	const returns = deps.returns;
	const returnHandlers: Record<string, OutboxHandler> = returns
		? {
				[RETURN_JOB.ticket]: {
					...handler(ReturnTicketJobSchema, async (p, tenantId) => {
						await createTicket({ ...deps, returns }, tenantId, p.returnId);
					}),
					// No task or deal was made: the customer hears the shop will come back, staff get a note.
					onDead: (payload, job, tx) =>
						returns.ticketFailed(tx, job.tenantId, (payload as { returnId: string }).returnId, {
							...job,
							host: 'Bitrix24',
						}),
				},
				[RETURN_JOB.check]: handler(ReturnCheckJobSchema, async (p, tenantId) => {
					await checkTicket({ ...deps, returns }, await deps.pool.forTenant(tenantId), tenantId, p.ticketId);
				}),
				[RETURN_JOB.received]: handler(ReturnReceivedJobSchema, async (p, tenantId) => {
					await closeTicket({ ...deps, returns }, tenantId, p.returnId);
				}),
			}
		: {};

	return {
		...returnHandlers,
		[JOB.openLineSend]: handler(OpenLineSendSchema, async (p, tenantId) => {
			const settings = await settingsOf(tenantId);
			if (!settings.openLineId) return; // no line picked yet: the timeline log still records it
			const client = await deps.pool.forTenant(tenantId);
			const key = chatKey(p.channel, p.connectionId, p.chatId);
			await ensureContact(client, deps.links, p.customerId, { imol: imolOf(settings.openLineId, key) });
			const profile = await deps.links.profile(tenantId, p.customerId);
			await sendToOpenLine(client, {
				line: settings.openLineId,
				key,
				name: safeName(profile.name),
				externalId: p.externalId,
				at: p.at,
				text: p.text,
			});
		}),
		[JOB.timelineLog]: handler(TimelineLogSchema, async (p, tenantId) => {
			const client = await deps.pool.forTenant(tenantId);
			const contactId = await ensureContact(client, deps.links, p.customerId);
			await client.call('crm.timeline.logmessage.add', contactLogParams(Number(contactId), p), z.unknown());
		}),
		[JOB.dealSync]: handler(DealSyncSchema, async (p, tenantId) => {
			const client = await deps.pool.forTenant(tenantId);
			const contactId = await ensureContact(client, deps.links, p.customerId);
			await syncDeal(client, deps.links, await settingsOf(tenantId), contactId, p);
		}),
		[JOB.operatorReply]: handler(OperatorReplySchema, async (p, tenantId) => {
			const target = parseChatKey(p.chatKey);
			if (!target) throw new PermanentDeliveryError(`not a Nitka chat: ${p.chatKey}`);
			const portal = await deps.store.byTenant(tenantId);
			const text = plainText(p.text);
			if (!text) return;
			let replyId: string;
			try {
				({ replyId } = await deps.intake.replyToChat(tenantId, {
					...target,
					text,
					author: `bitrix24:${p.operatorId ?? 0}`,
					origin: 'bitrix24',
					// One Bitrix24 message sends once, however often this job or the event repeats.
					idempotencyKey: `b24:${portal?.externalId ?? tenantId}:${p.imMessageId}`,
				}));
			} catch (error) {
				// The reply service refuses for good (no chat, blocked, loop guard): nothing to retry.
				if (error instanceof Error && 'status' in error && (error as { status: number }).status < 500) {
					throw new PermanentDeliveryError(error.message);
				}
				throw error;
			}
			const client = await deps.pool.forTenant(tenantId);
			await confirmDelivery(client, {
				line: p.line,
				imChatId: p.imChatId,
				imMessageId: p.imMessageId,
				key: p.chatKey,
				externalId: replyId,
				at: deps.now(),
			});
		}),
		[JOB.contactCheck]: handler(ContactCheckSchema, async (p, tenantId) => {
			const client = await deps.pool.forTenant(tenantId);
			// Events can be forged or stale: believe a deletion only after the portal confirms it.
			if (await getContact(client, p.contactId)) return;
			await deps.links.unlinkContact(tenantId, p.contactId, CONTACT_IDENTITY);
		}),
	};
}
